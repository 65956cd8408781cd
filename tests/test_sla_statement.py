# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The monthly SLA statement (服务水平报告): figures and service credit worked
out by hand on the fixed week of tickets of the SLA compliance report
(breaches at two levels, a pause, a cap), the portal for its customer only,
filed once, approved is final (a credit changes through a revision with its
reason), drafting twice drafts nothing twice, and a query count that does
not grow with the agreements."""

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from . import test_sla_compliance_report as report_tests
from .sla_common import SlaCommon
from .test_archive import pdf_text

STATEMENT = "helpdesk.service.sla.statement"
REQUEST = "helpdesk.service.archive.request"
CRON = "helpdesk_service_agreement.ir_cron_helpdesk_service_sla_statement"
REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_sla_statement"
WEEK = report_tests.TestSlaComplianceReport


@tagged("post_install", "-at_install")
class TestSlaStatement(SlaCommon, HttpCase):
    _reply = WEEK._reply
    _stage = WEEK._stage
    _week = WEEK._week

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.write({"email": "contact@hsa-customer.example.com"})
        # the schedule of the agreement's breach liability: every level
        # below 95 % gives 5 % of the monthly fee, below 80 % 10 %; level 2
        # below 50 % 20 %; 200 a missed target; at most 25 % of the fee
        cls.agreement.write(
            {
                "service_credit_monthly_fee": 10000.0,
                "service_credit_per_breach": 200.0,
                "service_credit_cap_percent": 25.0,
                "service_credit_line_ids": [
                    Command.create({"compliance_below": 95.0, "credit_percent": 5.0}),
                    Command.create({"compliance_below": 80.0, "credit_percent": 10.0}),
                    Command.create(
                        {"level": "2", "compliance_below": 50.0, "credit_percent": 20.0}
                    ),
                ],
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_sla_portal",
            password="hsa_sla_portal_pw",
            groups="base.group_portal",
            name="HSA Portal Contact",
            email="portal@hsa-customer.example.com",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        other = cls.env["res.partner"].create(
            {"name": "HSA Other Customer", "is_company": True}
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="hsa_sla_portal_other",
            password="hsa_sla_portal_other_pw",
            groups="base.group_portal",
            name="HSA Other Portal Contact",
        )
        cls.other_portal_user.partner_id.parent_id = other

    def _march(self, agreements=None):
        return self.env[STATEMENT]._create_statements(
            agreements or self.agreement,
            self.agreement.start_date.replace(month=3, day=1),
            self.agreement.start_date.replace(month=3, day=31),
        )

    def _approved(self):
        self._week()
        statement = self._march().with_user(self.manager)
        statement.action_approve()
        return statement

    def _lines(self, statement):
        return {(line.level, line.kind): line for line in statement.line_ids}

    def test_figures_and_credit_by_hand(self):
        self._week()
        statement = self._march().with_user(self.manager)
        self.assertEqual(statement.state, "draft")
        lines = self._lines(statement)
        self.assertEqual(
            len(lines), 6, "level 1 and 2: the level, response, resolution"
        )

        def figures(line):
            return (
                line.ticket_count,
                line.met_count,
                line.breached_count,
                line.compliance if line.has_compliance else None,
            )

        # level 1: late (resolution missed), paused (met), open (running)
        self.assertEqual(figures(lines["1", "level"]), (3, 1, 1, 50.0))
        # no response target at level 1: no data, not 0 %
        self.assertEqual(figures(lines["1", "response"]), (3, 0, 0, None))
        self.assertFalse(lines["1", "response"].has_hours)
        self.assertEqual(figures(lines["1", "resolution"]), (3, 1, 1, 50.0))
        # resolutions 10 and 25 working hours
        self.assertAlmostEqual(lines["1", "resolution"].hours_p50, 17.5)
        self.assertAlmostEqual(lines["1", "resolution"].hours_p90, 23.5)
        # the paused ticket waited Monday 11-12, 13-18 and Tuesday 9-11
        self.assertEqual(lines["1", "level"].pause_count, 1)
        self.assertAlmostEqual(lines["1", "level"].paused_hours, 8.0)
        self.assertEqual(lines["1", "resolution"].target_hours, 24.0)
        # level 2: in time (met); no reply, no reply late, answered late
        self.assertEqual(figures(lines["2", "level"]), (4, 1, 3, 25.0))
        self.assertEqual(figures(lines["2", "response"]), (4, 1, 3, 25.0))
        self.assertEqual(lines["2", "response"].target_hours, 12.0)
        # responses 1.5 and 16 working hours
        self.assertAlmostEqual(lines["2", "response"].hours_p50, 8.75)
        self.assertAlmostEqual(lines["2", "response"].hours_p90, 14.55)
        self.assertEqual(figures(lines["2", "resolution"]), (4, 3, 0, 100.0))
        self.assertAlmostEqual(lines["2", "resolution"].hours_p50, 8.0)
        self.assertEqual(lines["2", "level"].pause_count, 0)
        # the month
        self.assertEqual(
            (statement.ticket_count, statement.met_count, statement.breached_count),
            (7, 2, 4),
        )
        self.assertAlmostEqual(statement.compliance, 33.33)
        self.assertEqual((statement.pause_count, statement.paused_hours), (1, 8.0))
        # the credit: level 1 at 50 % falls below 95 and 80 (10 %), level 2
        # at 25 % below 50 (20 %): 30 % of 10,000; four targets missed (three
        # responses, one resolution) at 200; capped at 25 % of the fee
        self.assertEqual(lines["1", "level"].credit_percent, 10.0)
        self.assertEqual(lines["2", "level"].credit_percent, 20.0)
        self.assertEqual(statement.monthly_fee, 10000.0)
        self.assertEqual(statement.credit_band_amount, 3000.0)
        self.assertEqual(statement.credit_breach_amount, 800.0)
        self.assertEqual(statement.credit_uncapped, 3800.0)
        self.assertEqual(statement.credit_cap_amount, 2500.0)
        self.assertTrue(statement.credit_capped)
        self.assertEqual(statement.credit_total, 2500.0)
        # the manager's form: the credit and its lines
        form = Form(statement)
        self.assertEqual(form.credit_total, 2500.0)
        self.assertEqual(len(form.line_ids), 6)
        # a lead reads the statement, not the fee nor the credit
        with self.assertRaises(AccessError):
            statement.with_user(self.lead).read(["credit_total"])
        self.assertEqual(statement.with_user(self.lead).breached_count, 4)
        lead_form = Form(statement.with_user(self.lead))
        self.assertEqual(lead_form.breached_count, 4)
        self.assertNotIn("credit_total", lead_form._view["fields"])

    def test_without_cap_and_without_tickets(self):
        self.agreement.service_credit_cap_percent = 0.0
        self._week()
        statement = self._march().with_user(self.manager)
        self.assertFalse(statement.credit_capped)
        self.assertEqual(statement.credit_total, 3800.0)
        # an agreement without a ticket in the month: a statement without
        # lines, no compliance, no credit
        quiet = self._create_agreement(
            code="HSA-QUIET",
            partner_id=self.env["res.partner"]
            .create({"name": "HSA Quiet Customer", "is_company": True})
            .id,
        )
        empty = self._march(quiet).with_user(self.manager)
        self.assertFalse(empty.line_ids)
        self.assertFalse(empty.has_compliance)
        self.assertEqual(empty.credit_total, 0.0)

    def test_monthly_fee_from_the_service_fee(self):
        agreement = self._create_agreement(
            code="HSA-FEE",
            partner_id=self.env["res.partner"]
            .create({"name": "HSA Fee Customer", "is_company": True})
            .id,
            fee_amount=120000.0,
        )
        # a year's fee over its twelve months
        self.assertEqual(agreement.service_credit_monthly_fee, 10000.0)
        agreement.end_date = "2026-06-30"
        self.assertEqual(agreement.service_credit_monthly_fee, 20000.0)

    def test_approved_is_final_and_revised_with_a_reason(self):
        statement = self._approved()
        self.assertEqual(statement.state, "approved")
        for user in (self.manager, self.env.ref("base.user_root")):
            with self.assertRaises(UserError):
                statement.with_user(user).write({"note": "<p>Changed.</p>"})
        with self.assertRaises(UserError):
            statement.sudo().write({"contact_id": self.customer.id})
        with self.assertRaises(AccessError):
            statement.write({"credit_uncapped": 0.0})
        with self.assertRaises(UserError):
            statement.unlink()
        with self.assertRaises(UserError):
            statement.with_user(self.lead).action_new_revision()
        # a new revision: the statement stays, superseded; the credit of the
        # draft revision is corrected with a reason
        action = statement.action_new_revision()
        revision = self.env[STATEMENT].with_user(self.manager).browse(action["res_id"])
        self.assertTrue(statement.superseded)
        self.assertEqual(statement.state, "approved")
        self.assertEqual(statement.credit_total, 2500.0)
        self.assertEqual((revision.revision, revision.state), (2, "draft"))
        self.assertEqual(revision.previous_revision_id, statement)
        self.assertEqual(revision.credit_total, 2500.0)
        revision.credit_adjustment = -500.0
        self.assertEqual(revision.credit_total, 2000.0)
        with self.assertRaises(UserError):
            revision.action_approve()  # no reason yet
        revision.revision_reason = "Ticket of 2 March was the customer's outage."
        revision.action_approve()
        self.assertEqual(revision.state, "approved")
        # the first statement's credit never changes through a write
        with self.assertRaises(UserError):
            self._march_again = statement.sudo().write({"credit_adjustment": 1.0})

    def test_filed_once(self):
        statement = self._approved()
        statement._archive_enqueue()
        requests = self.env[REQUEST].search(
            [("res_model", "=", STATEMENT), ("res_id", "=", statement.id)]
        )
        self.assertEqual(len(requests), 1)
        self.assertEqual(requests.document_type, "sla_statement")
        self.assertEqual(requests.partner_id, self.customer)
        requests.sudo()._file()
        self.assertEqual(requests.state, "filed", requests.error)
        document = requests.document_id
        self.assertIn(statement.name, document.res_name)
        # approved again or queued again: still one document
        statement._archive_enqueue()
        self.assertEqual(
            self.env["helpdesk.service.archive.document"]
            .sudo()
            .search_count(
                [("res_model", "=", STATEMENT), ("res_id", "=", statement.id)]
            ),
            1,
        )
        # the filed PDF carries the credit owed to the customer
        self.assertIn("2,500.00", pdf_text(document.sudo()._read_files()[document.id]))

    def test_drafted_once_by_the_scheduled_action(self):
        self._week()
        with self._at("2026-04-01 02:00:00"):
            self._run_cron(CRON)
            self._run_cron(CRON)
        statements = self.env[STATEMENT].search(
            [("agreement_id", "=", self.agreement.id)]
        )
        self.assertEqual(len(statements), 1)
        self.assertEqual(str(statements.date_start), "2026-03-01")
        self.assertEqual(statements.breached_count, 4)
        self.assertEqual(statements.activity_ids.user_id, self.agreement.user_id)

    def test_portal_only_for_its_customer(self):
        statement = self._approved()
        Statement = self.env[STATEMENT]
        # not before it is sent
        self.assertFalse(Statement.with_user(self.portal_user).search([]))
        statement.action_send()
        self.assertEqual(statement.state, "sent")
        self.assertEqual(
            statement.message_ids[:1].partner_ids, self.contact, "to the contact"
        )
        self.assertEqual(Statement.with_user(self.portal_user).search([]), statement)
        self.assertFalse(Statement.with_user(self.other_portal_user).search([]))
        with self.assertRaises(AccessError):
            statement.with_user(self.other_portal_user).read(["name"])
        self.authenticate("hsa_sla_portal", "hsa_sla_portal_pw")
        page = self.url_open("/my/sla-statements")
        self.assertEqual(page.status_code, 200)
        self.assertIn(statement.name, page.text)
        page = self.url_open(f"/my/sla-statements/{statement.id}")
        self.assertIn("2,500.00", page.text, "the credit owed to the customer")
        pdf = self.url_open(f"/my/sla-statements/{statement.id}?report_type=pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.authenticate("hsa_sla_portal_other", "hsa_sla_portal_other_pw")
        page = self.url_open(f"/my/sla-statements/{statement.id}")
        self.assertNotIn(statement.name, page.text)
        self.assertNotIn(statement.name, self.url_open("/my/sla-statements").text)

    def test_pdf_shows_the_credit_to_managers_only(self):
        statement = self._approved()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        text = pdf_text(
            Report.with_user(self.manager)._render_qweb_pdf(REPORT, statement.ids)[0]
        )
        for expected in ("SLA Statement", "2,500.00", "Response", "—"):
            self.assertIn(expected, text)
        text = pdf_text(
            Report.with_user(self.lead)._render_qweb_pdf(REPORT, statement.ids)[0]
        )
        self.assertNotIn("2,500.00", text)
        self.assertNotIn("10,000.00", text)

    def test_query_count_does_not_grow_with_agreements(self):
        agreements = self.agreement | self.env["agreement"].union(
            *(
                self._create_agreement(
                    code=f"HSA-Q-{i}",
                    partner_id=self.env["res.partner"]
                    .create({"name": f"HSA Customer {i}", "is_company": True})
                    .id,
                )
                for i in range(19)
            )
        )
        self._week()
        Statement = self.env[STATEMENT].sudo()
        start = self.agreement.start_date.replace(month=3, day=1)
        end = start.replace(day=31)

        def queries(batch):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = Statement._statement_values(batch, start, end)
            return self.env.cr.sql_log_count - before, values

        Statement._statement_values(agreements, start, end)  # rights, rules
        one, _values = queries(agreements[:1])
        twenty, values_20 = queries(agreements)
        self.assertEqual(one, twenty)
        self.assertEqual(len(values_20), 20)
        self.assertEqual(values_20[self.agreement.id]["breached_count"], 4)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=one):
            self.env.invalidate_all()
            Statement._statement_values(agreements, start, end)
