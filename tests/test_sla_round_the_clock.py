# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import re
from unittest.mock import patch

from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.misc import file_path

from .common import MODULE
from .sla_common import SlaCommon, utc

MIGRATION = f"{MODULE}/migrations/19.0.1.8.0/end-round_the_clock.py"


def load_migration():
    spec = importlib.util.spec_from_file_location(
        "hsa_migration_calendar", file_path(MIGRATION)
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timeline_items(html):
    return re.findall(r"<li>(.*?)</li>", str(html), flags=re.DOTALL)


@tagged("post_install", "-at_install")
class TestSlaRoundTheClock(SlaCommon, HttpCase):
    """Level 3 keeps the standard's promise at any hour (seed 001: a major
    problem answered within 2 hours); the other levels wait for working
    hours; times read in the reader's time zone; escalation records and the
    postmortem timeline say what happened."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round_the_clock = cls.env.ref(f"{MODULE}.resource_calendar_round_the_clock")
        cls.template = cls.env.ref(f"{MODULE}.agreement_template_default")
        # a customer of its own, under an agreement as the template makes it
        cls.customer_24 = cls.env["res.partner"].create(
            {"name": "HSA Round-the-clock Co", "is_company": True}
        )
        cls.contact_24 = cls.env["res.partner"].create(
            {"name": "HSA Night Contact", "parent_id": cls.customer_24.id}
        )
        with cls._frozen("2026-01-05 09:00"):
            cls.agreement_24 = cls._create_agreement(
                partner_id=cls.customer_24.id,
                resource_calendar_id=cls.calendar.id,
            )
        cls.levels_24 = {
            level.level: level for level in cls.agreement_24.service_level_ids
        }
        cls.levels_24["3"].owner_user_ids = cls.emergency_user
        # the company works in Shanghai; its people set no time zone
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company.partner_id.tz = False
        (cls.agent | cls.lead | cls.manager | cls.emergency_user).tz = False

    # ------------------------------------------------------------------
    # The shipped calendar and how levels get it
    # ------------------------------------------------------------------

    def test_shipped_calendar_works_every_hour_of_every_day(self):
        calendar = self.round_the_clock
        self.assertFalse(calendar.company_id, "shared by every company")
        self.assertEqual(
            sorted(calendar.attendance_ids.mapped("dayofweek")),
            [str(day) for day in range(7)],
        )
        self.assertTrue(calendar._sla_is_round_the_clock())
        self.assertFalse(self.calendar._sla_is_round_the_clock())
        # a working hour of Sunday night counts
        start = utc("2026-03-08 01:00")
        self.assertEqual(
            calendar._sla_work_hours_batch([(start, utc("2026-03-08 04:30"))]), [3.5]
        )

    def test_shipped_calendar_reads_in_the_readers_language(self):
        calendar = self.round_the_clock
        self.assertEqual(
            calendar.with_context(lang="en_US").display_name, "Round the clock (7×24)"
        )
        # the label goes through the translation of the reader's language
        calendar.invalidate_recordset(["display_name"])
        with patch.object(
            type(self.env), "_", lambda env, source, *a, **k: f"[{env.lang}] {source}"
        ):
            self.assertEqual(
                calendar.with_context(lang="en_US").display_name,
                "[en_US] Round the clock (7×24)",
            )
            # and is found by it
            self.assertIn(
                calendar,
                self.env["resource.calendar"]
                .with_context(lang="en_US")
                .search([("display_name", "ilike", "[en_us] round")]),
            )
        # a renamed calendar shows the name its company gave it
        calendar.name = "HSA Night shift"
        self.assertEqual(calendar.display_name, "HSA Night shift")

    def test_level_3_runs_round_the_clock_by_default(self):
        self.assertEqual(self.levels_24["3"].calendar_id, self.round_the_clock)
        self.assertEqual(self.levels_24["1"].calendar_id, self.calendar)
        self.assertEqual(self.levels_24["2"].calendar_id, self.calendar)
        # a new agreement without a template gets the standard levels the same
        agreement = self.env["agreement"].create(
            {
                "name": "HSA No template",
                "partner_id": self.customer_24.id,
                "resource_calendar_id": self.calendar.id,
                "service_level_ids": self.env[
                    "agreement"
                ]._default_service_level_commands(),
            }
        )
        calendars = {
            level.level: level.calendar_id for level in agreement.service_level_ids
        }
        self.assertEqual(calendars["3"], self.round_the_clock)
        self.assertEqual(calendars["1"], self.calendar)
        # a copy (a renewal) keeps the working time of each level
        agreement.service_level_ids.filtered(
            lambda level: level.level == "3"
        ).calendar_id = self.calendar
        copy = agreement.copy()
        self.assertEqual(
            set(copy.service_level_ids.mapped("calendar_id")), {self.calendar}
        )
        # an agreement whose working hours are round the clock runs every level
        # on them
        agreement = self.env["agreement"].create(
            {
                "name": "HSA Round the clock",
                "partner_id": self.customer_24.id,
                "resource_calendar_id": self.round_the_clock.id,
                "service_level_ids": self.env[
                    "agreement"
                ]._default_service_level_commands(),
            }
        )
        self.assertEqual(
            set(agreement.service_level_ids.mapped("calendar_id")),
            {self.round_the_clock},
        )

    def test_template_level_calendar_passes_on(self):
        template = self.template.copy(
            {
                "name": "HSA office-hours template",
                "company_id": self.company.id,
                "is_template": True,
            }
        )
        template.service_level_ids.filtered(
            lambda level: level.level == "3"
        ).calendar_id = self.calendar
        with self._at_local("2026-01-05 09:00"):
            agreement = self._create_agreement(
                partner_id=self.customer_24.id,
                template_id=template.id,
                activate=False,
            )
        calendars = {
            level.level: level.calendar_id for level in agreement.service_level_ids
        }
        self.assertEqual(calendars["3"], self.calendar, "the template's choice")
        self.assertEqual(calendars["1"], agreement.resource_calendar_id)

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------

    def test_level_3_friday_night_answered_within_two_hours(self):
        # Friday 22:24 in Shanghai: an outage of every branch
        major = self._new_ticket(
            "2026-03-06 22:24", partner_id=self.contact_24.id, problem_level="3"
        )
        self.assertEqual(major.sla_phase_id.calendar_id, self.round_the_clock)
        self.assertEqual(major.response_deadline, utc("2026-03-07 00:24"))
        self.assertEqual(major.next_update_deadline, utc("2026-03-07 02:24"))
        # a general problem of the same night waits for Monday's working hours
        general = self._new_ticket("2026-03-06 22:24", partner_id=self.contact_24.id)
        self.assertEqual(general.problem_level, "1")
        self.assertEqual(general.sla_phase_id.calendar_id, self.calendar)
        self.assertEqual(general.resolution_deadline, utc("2026-03-11 18:00"))
        # the check at 00:30 records the missed response within level 3
        self._check("2026-03-07 00:30")
        self.assertEqual(major.escalation_ids.reason, "response_breach")
        self.assertEqual(major.escalation_ids.missed_deadline, utc("2026-03-07 00:24"))

    def test_round_the_clock_ignores_public_holidays(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "HSA public holiday",
                "date_from": utc("2026-03-07 00:00"),
                "date_to": utc("2026-03-07 23:59"),
                "calendar_id": False,
                "company_id": self.company.id,
            }
        )
        major = self._new_ticket(
            "2026-03-07 10:00", partner_id=self.contact_24.id, problem_level="3"
        )
        self.assertEqual(major.response_deadline, utc("2026-03-07 12:00"))
        # a leave recorded on the calendar itself does stop it
        self.env["resource.calendar.leaves"].create(
            {
                "name": "HSA planned stop",
                "date_from": utc("2026-03-08 10:00"),
                "date_to": utc("2026-03-08 11:00"),
                "calendar_id": self.round_the_clock.id,
                "company_id": False,
            }
        )
        major = self._new_ticket(
            "2026-03-08 09:30", partner_id=self.contact_24.id, problem_level="3"
        )
        self.assertEqual(major.response_deadline, utc("2026-03-08 12:30"))

    # ------------------------------------------------------------------
    # Existing databases
    # ------------------------------------------------------------------

    def test_migration_moves_templates_not_agreements(self):
        def level_3(agreement):
            return agreement.service_level_ids.filtered(
                lambda level: level.level == "3"
            )

        # the shipped template as an older version left it: level 3 on no
        # calendar of its own (the company's working hours)
        shipped_level = level_3(self.template)
        shipped_level.calendar_id = False
        # a company's template on the company's standard working hours
        company_template = self.template.copy(
            {
                "name": "HSA company template",
                "company_id": self.company.id,
                "is_template": True,
            }
        )
        company_level = level_3(company_template)
        company_level.calendar_id = self.company.resource_calendar_id
        # a template whose level 3 chose a night shift
        night = self.calendar.copy({"name": "HSA night shift"})
        night_template = company_template.copy(
            {"name": "HSA night template", "is_template": True}
        )
        night_level = level_3(night_template)
        night_level.calendar_id = night
        # a signed agreement on office hours
        signed_level = self.levels_24["3"]
        signed_level.calendar_id = self.calendar
        load_migration().migrate(self.env.cr, "19.0.1.7.0")
        self.assertEqual(shipped_level.calendar_id, self.round_the_clock)
        self.assertEqual(company_level.calendar_id, self.round_the_clock)
        self.assertEqual(night_level.calendar_id, night, "a chosen calendar stays")
        self.assertEqual(signed_level.calendar_id, self.calendar, "signed terms stay")
        # the escalation e-mail writes its deadlines in the reader's time zone
        body = self.env.ref(
            f"{MODULE}.mail_template_helpdesk_ticket_escalation"
        ).body_html
        self.assertIn(
            "format_datetime(object.ticket_id.response_deadline, tz=ctx.get('tz'), "
            "dt_format='short')",
            body,
        )
        self.assertNotIn("format_datetime(object.ticket_id.response_deadline)", body)
        invitation = self.env.ref(
            f"{MODULE}.mail_template_service_satisfaction_invitation"
        ).body_html
        self.assertIn("object.company_id.resource_calendar_id.tz", invitation)
        self.assertIn("dt_format='short'", invitation)

    # ------------------------------------------------------------------
    # Time zones
    # ------------------------------------------------------------------

    def test_reader_without_time_zone_reads_the_companys(self):
        portal = new_test_user(
            self.env,
            login="hsa_night_portal",
            password="hsa_night_portal_pw",
            groups="base.group_portal",
            name="HSA Night Customer",
        )
        portal.tz = False
        portal.partner_id.parent_id = self.customer_24
        # an urgent problem on Monday 10:00: answer due Tuesday 15:00 Shanghai
        ticket = self._new_ticket(
            partner_id=portal.partner_id.id, problem_level="2", user_id=self.agent.id
        )
        self.assertEqual(ticket.response_deadline, utc("2026-03-03 15:00"))
        self.assertEqual(ticket._sla_reader_tz(portal), "Asia/Shanghai")
        self.authenticate("hsa_night_portal", "hsa_night_portal_pw")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        # Shanghai time in the language's format (en_US: 12 or 24 hours)
        self.assertRegex(
            page,
            r"Response Due:</strong>\s*<span>03/03/2026 (03:00 PM|15:00)</span>",
        )
        self.assertRegex(
            page, r"Create Date:</strong>\s*<span>03/02/2026 (10:00 AM|10:00)</span>"
        )
        self.assertNotIn("03/03/2026 07:00", page, "not UTC")
        # the owner (the team lead at level 2) without a time zone is warned
        # at the company's time
        self._check("2026-03-03 13:30")
        warning = ticket.message_ids.filtered(
            lambda message: "SLA at risk" in (message.body or "")
        )
        self.assertEqual(len(warning), 1)
        self.assertIn("3:00", warning.body)
        self.assertNotIn("7:00", warning.body)

    def test_escalation_mail_in_the_readers_time_zone(self):
        # databases upgraded from before 19.0.1.8.0 get the new e-mail body
        load_migration().migrate(self.env.cr, "19.0.1.7.0")
        ticket = self._new_ticket(partner_id=self.contact_24.id)
        self._check("2026-03-05 10:05")
        self.assertEqual(ticket.problem_level, "2")
        # the team lead, without a time zone, owns level 2: answer due Friday
        # 15:05 in Shanghai (07:05 UTC)
        self.assertEqual(ticket.response_deadline, utc("2026-03-06 15:05"))
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket.escalation"),
                ("res_id", "in", ticket.escalation_ids.ids),
            ]
        )
        self.assertEqual(mail.recipient_ids, self.lead.partner_id)
        self.assertRegex(mail.body_html, r"Response due:\s*3/6/26,\s3:05\sPM")
        self.assertNotIn("7:05", mail.body_html)
        # the missed resolution deadline (Thursday 10:00) in the note too
        self.assertRegex(ticket.escalation_ids.summary, r"\(3/5/26, 10:00\sAM\)")

    # ------------------------------------------------------------------
    # Escalation records and the postmortem timeline
    # ------------------------------------------------------------------

    def test_escalation_labels_and_postmortem_timeline(self):
        ticket = self._new_ticket(
            "2026-03-06 22:24",
            partner_id=self.contact_24.id,
            problem_level="2",
        )
        with self._at_local("2026-03-06 22:30"):
            action = ticket.with_user(self.lead).action_open_escalation_wizard()
            with Form.from_action(self.env(user=self.lead), action) as wizard:
                self.assertEqual(wizard.to_level, "3")
                wizard.reason = "Every branch is down."
            wizard.record.action_escalate()
        self.assertEqual(ticket.problem_level, "3")
        raised = ticket.escalation_ids
        self.assertEqual(raised.level_change, "Level 2 → Level 3")
        # no answer within the 2 hours: the emergency team is told again
        self._check("2026-03-07 00:35")
        again = ticket.escalation_ids - raised
        self.assertEqual(again.reason, "response_breach")
        self.assertEqual(again.level_change, "Level 3: emergency team notified again")
        self.assertNotIn("→", again.summary)
        self.assertIn("emergency team notified again", again.summary)
        # the postmortem, written once the service is back
        with self._at_local("2026-03-07 03:00"):
            action = ticket.with_user(self.lead).action_open_postmortem()
        postmortem = self.env["helpdesk.ticket.postmortem"].browse(action["res_id"])
        items = timeline_items(postmortem.timeline)
        self.assertIn("Ticket opened.", items[0])
        self.assertIn("Manual Escalation: Level 2 → Level 3.", items[1])
        self.assertIn(
            "Response Deadline Missed: Level 3: emergency team notified again.",
            items[2],
        )
        self.assertEqual(len(items), 3, "not closed yet")
        postmortem.with_user(self.lead).write(
            {
                "impact": "<p>All branches stopped for two hours.</p>",
                "root_cause": "<p>Expired certificate.</p>",
                "corrective_actions": "<p>Certificate renewed.</p>",
                "preventive_actions": "<p>Expiry monitored.</p>",
            }
        )
        postmortem.with_user(self.lead).action_done()
        with self._at_local("2026-03-07 09:00"):
            ticket.with_user(self.lead).stage_id = self.stage_done
        items = timeline_items(postmortem.timeline)
        self.assertEqual(len(items), 5)
        self.assertIn("Resolved at Level 3 - Major.", items[3])
        self.assertIn("Ticket closed: Done.", items[4])
        # at the customer's (else the company's) time, without seconds
        self.assertIn("9:00", items[4])
        self.assertNotIn("9:00:00", items[4])
