# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import new_test_user

from .common import MODULE, ServiceCommon

CRON = "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_check"


def utc(local):
    """A Shanghai wall-clock time ("2026-03-02 10:00") as the naive UTC
    datetime the database stores (Shanghai is UTC+8, no daylight saving)."""
    return datetime.strptime(local, "%Y-%m-%d %H:%M") - timedelta(hours=8)


class SlaCommon(ServiceCommon):
    """A customer under an active agreement whose clocks run on a Shanghai
    calendar of 8 working hours a day (09:00-12:00, 13:00-18:00, Monday to
    Friday). 2026-03-02 is a Monday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "HSA Shanghai office",
                "tz": "Asia/Shanghai",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (9, 12, "morning"),
                        (13, 18, "afternoon"),
                    )
                ],
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_waiting = cls.env["helpdesk.ticket.stage"].create(
            {"name": "HSA Waiting on customer", "sla_pause": True, "sequence": 50}
        )
        with cls._frozen("2026-01-05 09:00"):
            cls.agreement = cls._create_agreement(resource_calendar_id=cls.calendar.id)
        cls.levels = {level.level: level for level in cls.agreement.service_level_ids}
        # every level on the office calendar here, level 3 included (it runs
        # round the clock by default: tests/test_sla_round_the_clock.py)
        cls.levels["3"].calendar_id = cls.calendar
        cls.emergency_user = new_test_user(
            cls.env,
            login="hsa_emergency",
            name="HSA Emergency",
            groups=f"{MODULE}.group_service_agent",
        )
        cls.levels["3"].owner_user_ids = [
            Command.set([cls.manager.id, cls.emergency_user.id])
        ]

    @classmethod
    def _frozen(cls, local):
        return ServiceCommon._at(cls, utc(local))

    def _at_local(self, local):
        return self._at(utc(local))

    def _new_ticket(self, local="2026-03-02 10:00", env=None, **vals):
        with self._at_local(local):
            return self._create_ticket(env=env, **vals)

    def _check(self, local):
        """Run the scheduled SLA check at a Shanghai wall-clock time."""
        with self._at_local(local):
            self._run_cron(CRON)
