# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pauses of the monthly SLA statement by level and reason (issue 20):
how many pauses each reason made and the working hours they held, worked out
by hand on the Shanghai office calendar (09:00-12:00, 13:00-18:00); stored
with the statement (an approved one keeps its reasons when a stage is
renamed, a revision computes them again), in the form, the PDF in English
and Chinese and on the customer's portal page."""

from odoo.tests import Form, HttpCase, new_test_user, tagged

from .sla_common import SlaCommon
from .test_archive import pdf_text
from .test_sla_statement import REPORT, STATEMENT, WEEK

BODY = "helpdesk_service_agreement.helpdesk_service_sla_statement_body"


@tagged("post_install", "-at_install")
class TestSlaStatementPauses(SlaCommon, HttpCase):
    _stage = WEEK._stage

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.write({"email": "contact@hsa-customer.example.com"})
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_pause_portal",
            password="hsa_pause_portal_pw",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_portal_user = new_test_user(
            cls.env, login="hsa_pause_portal_other", groups="base.group_portal"
        )
        cls.other_portal_user.partner_id.parent_id = cls.env["res.partner"].create(
            {"name": "HSA Other Customer", "is_company": True}
        )
        cls.stage_parts = cls.env["helpdesk.ticket.stage"].create(
            {"name": "HSA Waiting for parts", "sla_pause": True, "sequence": 51}
        )

    def _march(self):
        return self.env[STATEMENT]._create_statements(
            self.agreement,
            self.agreement.start_date.replace(month=3, day=1),
            self.agreement.start_date.replace(month=3, day=31),
        )

    def _pause(self, ticket, stage, local_start, local_end):
        self._stage(ticket, stage, local_start)
        self._stage(ticket, self.stage_progress, local_end)
        return ticket.sla_phase_ids.pause_ids.sorted("date_start")[-1]

    def _pauses_week(self):
        """Level 1: two tickets wait on the customer, Monday 11:00 - Tuesday
        11:00 (1 + 5 + 2 = 8 working hours) and Tuesday 16:00 - Wednesday
        10:00 (2 + 1 = 3). Level 2: one ticket waits for parts Wednesday
        14:00 - Thursday 10:00 (4 + 1 = 5), then on the customer Thursday
        14:00 - 16:00 (2), a pause kept before pauses kept their reason."""
        first = self._new_ticket()
        second = self._new_ticket()
        urgent = self._new_ticket(priority="3")
        self._pause(first, self.stage_waiting, "2026-03-02 11:00", "2026-03-03 11:00")
        self._pause(second, self.stage_waiting, "2026-03-03 16:00", "2026-03-04 10:00")
        self._pause(urgent, self.stage_parts, "2026-03-04 14:00", "2026-03-05 10:00")
        legacy = self._pause(
            urgent, self.stage_waiting, "2026-03-05 14:00", "2026-03-05 16:00"
        )
        self.assertEqual(legacy.stage_id, self.stage_waiting)
        # a pause recorded before the reason was: no stage
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_sla_pause SET stage_id = NULL WHERE id = %s",
            [legacy.id],
        )
        legacy.invalidate_recordset(["stage_id"])

    def _breakdown(self, statement):
        return [
            (line.level, line.reason_label, line.pause_count, line.paused_hours)
            for line in statement.pause_ids
        ]

    def test_pauses_by_level_and_reason_by_hand(self):
        self._pauses_week()
        statement = self._march().with_user(self.manager)
        self.assertEqual(
            self._breakdown(statement),
            [
                ("1", "HSA Waiting on customer", 2, 11.0),
                ("2", "HSA Waiting for parts", 1, 5.0),
                ("2", "reason not recorded", 1, 2.0),
            ],
        )
        self.assertEqual(statement.pause_ids[0].stage_id, self.stage_waiting)
        self.assertFalse(statement.pause_ids[2].stage_id)
        # the levels' totals are the sums of their reasons
        levels = {
            line.level: (line.pause_count, line.paused_hours)
            for line in statement.line_ids
            if line.kind == "level"
        }
        self.assertEqual(levels, {"1": (2, 11.0), "2": (2, 7.0)})
        self.assertEqual((statement.pause_count, statement.paused_hours), (4, 18.0))
        # the form
        form = Form(statement)
        self.assertEqual(len(form.pause_ids), 3)
        # written by the computation only
        with self.assertRaises(Exception):  # noqa: B017 - access or user error
            statement.write({"pause_ids": [(5, 0, 0)]})
        # refreshed: the same reasons, not twice
        statement.action_refresh_figures()
        self.assertEqual(len(statement.pause_ids), 3)
        self.assertEqual(statement.pause_ids.mapped("paused_hours"), [11.0, 5.0, 2.0])

    def test_approved_keeps_its_reasons_a_revision_computes_them_again(self):
        self._pauses_week()
        statement = self._march().with_user(self.manager)
        statement.action_approve()
        self.stage_waiting.name = "HSA Awaiting the customer's answer"
        statement.invalidate_recordset()
        self.assertEqual(
            statement.pause_ids[0].reason_label,
            "HSA Waiting on customer",
            "an approved statement reads as it was approved",
        )
        action = statement.action_new_revision()
        revision = self.env[STATEMENT].with_user(self.manager).browse(action["res_id"])
        self.assertEqual(
            self._breakdown(revision),
            [
                ("1", "HSA Awaiting the customer's answer", 2, 11.0),
                ("2", "HSA Waiting for parts", 1, 5.0),
                ("2", "reason not recorded", 1, 2.0),
            ],
        )
        self.assertEqual(len(statement.pause_ids), 3, "the revised one keeps its own")

    def test_pdf_in_english_and_chinese(self):
        self._pauses_week()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.stage_waiting.update_field_translations("name", {"zh_CN": "等待客户答复"})
        self.env.ref(BODY).update_field_translations(
            "arch_db", {"zh_CN": {"Pauses by Reason": "按原因的暂停"}}
        )
        statement = self._march().with_user(self.manager)
        statement.action_approve()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        text = pdf_text(
            Report.with_user(self.manager)._render_qweb_pdf(REPORT, statement.ids)[0]
        )
        for expected in (
            "Pauses by Reason",
            "HSA Waiting on customer",
            "HSA Waiting for parts",
            "reason not recorded",
            "11.00",
        ):
            self.assertIn(expected, text)
        self.contact.lang = "zh_CN"
        text = pdf_text(
            Report.with_user(self.manager)._render_qweb_pdf(REPORT, statement.ids)[0]
        )
        self.assertIn("按原因的暂停", text)
        self.assertIn("等待客户答复", text)
        self.assertNotIn("HSA Waiting on customer", text)

    def test_portal_page_of_its_customer(self):
        self._pauses_week()
        statement = self._march().with_user(self.manager)
        statement.action_approve()
        statement.action_send()
        pauses = self.env["helpdesk.service.sla.statement.pause"]
        self.assertEqual(
            pauses.with_user(self.portal_user).search([]), statement.pause_ids
        )
        self.assertFalse(pauses.with_user(self.other_portal_user).search([]))
        agent = new_test_user(
            self.env,
            login="hsa_pause_agent",
            groups="helpdesk_service_agreement.group_service_agent",
        )
        self.assertFalse(pauses.with_user(agent).has_access("read"))
        self.authenticate("hsa_pause_portal", "hsa_pause_portal_pw")
        page = self.url_open(f"/my/sla-statements/{statement.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Pauses by Reason", page.text)
        self.assertIn("HSA Waiting for parts", page.text)
        self.assertIn("reason not recorded", page.text)

    def test_query_count_does_not_grow_with_pauses(self):
        Statement = self.env[STATEMENT].sudo()
        start = self.agreement.start_date.replace(month=3, day=1)
        end = start.replace(day=31)

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = Statement._statement_values(self.agreement, start, end)
            return self.env.cr.sql_log_count - before, values[self.agreement.id]

        ticket = self._new_ticket(priority="3")
        self._pause(ticket, self.stage_parts, "2026-03-02 11:00", "2026-03-02 12:00")
        queries()  # rights, rules
        one, values = queries()
        self.assertEqual(len(values["pause_ids"]), 1)
        self._pauses_week()
        four, values = queries()
        self.assertEqual(len(values["pause_ids"]), 3)
        self.assertEqual(values["pause_count"], 5)
        self.assertEqual(one, four)
