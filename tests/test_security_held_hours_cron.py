# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from .sla_common import SlaCommon

CRON = "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_held_hours"
LOGGER = "odoo.addons.helpdesk_service_agreement.models.helpdesk_ticket_sla_phase"


@tagged("post_install", "-at_install")
class TestHeldHoursIsolation(SlaCommon):
    """One bad calendar does not abort the nightly count of the others."""

    def test_failing_phase_amid_good_ones(self):
        tickets = self._new_ticket() | self._new_ticket() | self._new_ticket()
        bad = tickets[1].sla_phase_id
        Phase = type(bad)
        count = Phase._sla_update_held_hours

        def flaky(phases, now):
            if bad in phases:
                raise ValueError("broken calendar")
            return count(phases, now)

        with (
            patch.object(Phase, "_sla_update_held_hours", flaky),
            self.assertLogs(LOGGER, level="ERROR") as logs,
            self._at_local("2026-03-03 10:00"),
        ):
            self._run_cron(CRON)
        self.assertIn(f"Held hours of SLA phase {bad.id} failed", logs.output[0])
        self.assertEqual(
            (tickets - tickets[1]).sla_phase_id.mapped("consumed_hours"), [8.0, 8.0]
        )
        self.assertEqual(bad.consumed_hours, 0.0)
