# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service summary (服务总结报告): figures checked against values worked
out by hand on the fixed week of tickets of the SLA compliance report, zero
denominators, the previous period, the lead's and the manager's steps, the
scheduled drafting, the filing of an approved customer summary, a query count
that does not grow with the tickets, and the PDF read back."""

from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from . import test_sla_compliance_report as report_tests
from .sla_common import SlaCommon
from .test_archive import pdf_text

SUMMARY = "helpdesk.service.summary"
WEEK = report_tests.TestSlaComplianceReport


@tagged("post_install", "-at_install")
class TestServiceSummary(SlaCommon):
    _reply = WEEK._reply
    _stage = WEEK._stage
    _week = WEEK._week

    def _summary(self, scope="customer", start="2026-03-01", end="2026-03-31", **vals):
        values = {
            "scope": scope,
            "date_start": start,
            "date_end": end,
            "partner_id": self.customer.id if scope == "customer" else False,
            "team_id": self.team_support.id if scope == "team" else False,
            "user_id": self.lead.id,
        }
        values.update(vals)
        return self.env[SUMMARY].with_user(self.lead).create(values)

    def test_figures_of_the_fixed_week(self):
        self._week()
        # a complaint of the customer in March, and a ticket of April
        self._new_ticket(request_type="complaint")
        self._new_ticket(local="2026-04-01 10:00")
        summary = self._summary()
        summary.action_refresh_figures()
        self.assertEqual(summary.tickets_received, 8)
        self.assertEqual(summary.tickets_closed, 5)
        self.assertEqual(summary.complaint_count, 1)
        self.assertAlmostEqual(summary.complaint_rate, 12.5)
        # as the compliance analysis of the week: responses 1.5 and 16,
        # resolutions 5, 8, 10, 16, 25 (working hours)
        self.assertAlmostEqual(summary.response_p50, 8.75)
        self.assertAlmostEqual(summary.response_p90, 14.55)
        self.assertAlmostEqual(summary.resolution_p50, 10.0)
        self.assertAlmostEqual(summary.resolution_p90, 21.4)
        # level 1: 1 met, 1 breached; level 2: 1 met, 3 breached
        self.assertAlmostEqual(summary.compliance_level_1, 50.0)
        self.assertAlmostEqual(summary.compliance_level_2, 25.0)
        self.assertEqual(summary.compliance_level_3, 0.0)
        # the customer's agreement runs the whole year: none due in March
        self.assertEqual(summary.agreements_due, 0)

    def test_renewal_rate(self):
        other = self.env["res.partner"].create(
            {"name": "HSA Renewing Customer", "is_company": True}
        )
        ending = self._create_agreement(
            code="HSA-END-1",
            partner_id=other.id,
            start_date="2025-03-16",
            end_date="2026-03-15",
        )
        summary = self._summary(partner_id=other.id)
        summary.action_refresh_figures()
        self.assertEqual((summary.agreements_due, summary.agreements_renewed), (1, 0))
        self.assertEqual(summary.renewal_rate, 0.0)
        ending._renew(date(2026, 3, 16), date(2027, 3, 15))
        summary.action_refresh_figures()
        self.assertEqual((summary.agreements_due, summary.agreements_renewed), (1, 1))
        self.assertEqual(summary.renewal_rate, 100.0)

    def test_zero_denominators_and_previous_period(self):
        empty = self._summary(start="2026-02-01", end="2026-02-28")
        empty.action_refresh_figures()
        for fname in (
            "tickets_received",
            "complaint_rate",
            "renewal_rate",
            "recommend_rate",
            "acceptance_first_pass_rate",
            "complaint_on_time_rate",
        ):
            self.assertEqual(empty[fname], 0, fname)
        march = self._summary()
        self.assertEqual(march.previous_id, empty)
        rows = {row["label"]: row for row in march._comparison_rows()}
        self.assertEqual(rows["Tickets Received"]["previous"], 0)
        self.assertEqual(rows["Renewal Rate (%)"]["target"], 95.0)

    def test_bad_periods(self):
        # the database refuses it; over RPC the user reads the constraint's
        # message in their language
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._summary(start="2026-03-31", end="2026-03-01")
        approved = self._summary()
        approved.analysis = "<p>Good month.</p>"
        approved.action_submit()
        approved.with_user(self.manager).action_approve()
        with self.assertRaises(ValidationError):
            self._summary(start="2026-03-15", end="2026-04-14")

    def test_lead_writes_manager_approves(self):
        summary = self._summary()
        with self.assertRaises(UserError):
            summary.action_submit()  # no analysis yet
        summary.write(
            {
                "analysis": "<p>Slow responses.</p>",
                "improvement_measures": "<p>Rota.</p>",
            }
        )
        summary.action_submit()
        self.assertEqual(summary.state, "submitted")
        with self.assertRaises(UserError):
            summary.action_approve()  # the lead may not approve
        with self.assertRaises(AccessError):
            summary.write({"state": "approved"})
        summary.with_user(self.manager).action_approve()
        self.assertEqual(summary.state, "approved")
        self.assertEqual(summary.approved_by_id, self.manager)
        with self.assertRaises(UserError):
            summary.write({"analysis": "<p>Changed.</p>"})
        with self.assertRaises(UserError):
            summary.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            summary.action_refresh_figures()
        # the approved customer summary is queued for the customer's archive
        request = self.env["helpdesk.service.archive.request"].search(
            [("res_model", "=", SUMMARY), ("res_id", "=", summary.id)]
        )
        self.assertEqual(request.document_type, "summary")
        self.assertEqual(request.partner_id, self.customer)
        # an agent reads no summary
        with self.assertRaises(AccessError):
            summary.with_user(self.agent).read(["name"])

    def test_scheduled_drafting_once(self):
        # the support team received a ticket in March, the sales team none
        ticket = self._new_ticket()
        self.assertEqual(ticket.team_id, self.team_support)
        with self._at("2026-04-01 02:00:00"):
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_helpdesk_service_summary"
            )
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_helpdesk_service_summary"
            )
        drafts = self.env[SUMMARY].search([("team_id", "=", self.team_support.id)])
        self.assertEqual(
            sorted((s.period_type, s.date_start) for s in drafts),
            [("month", date(2026, 3, 1)), ("quarter", date(2026, 1, 1))],
        )
        monthly = drafts.filtered(lambda s: s.period_type == "month")
        self.assertEqual(monthly.date_end, date(2026, 3, 31))
        self.assertTrue(monthly.figures_date)
        self.assertEqual(monthly.activity_ids.user_id, self.lead)
        self.assertFalse(
            self.env[SUMMARY].search([("team_id", "=", self.team_sales.id)])
        )

    def test_query_count_does_not_grow_with_tickets(self):
        def run(count, team):
            with self._at_local("2026-05-04 10:00"):
                self.env["helpdesk.ticket"].create(
                    [
                        {"name": f"bulk {i}", "description": "x", "team_id": team.id}
                        for i in range(count)
                    ]
                )
            summary = self._summary(
                scope="team", start="2026-05-01", end="2026-05-31", team_id=team.id
            )
            summary.action_refresh_figures()  # caches of rights and rules
            self.env.flush_all()
            self.env.invalidate_all()
            return summary

        def queries(summary):
            before = self.env.cr.sql_log_count
            summary.sudo()._compute_figures()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        small = run(10, self.team_support)
        large = run(1000, self.team_sales)
        self.assertEqual((small.tickets_received, large.tickets_received), (10, 1000))
        self.env.invalidate_all()
        small_count = queries(small)
        self.env.invalidate_all()
        large_count = queries(large)
        self.assertGreater(small_count, 5)
        self.assertEqual(small_count, large_count)
        # and a fixed, small number: one aggregate per figure group
        with self.assertQueryCount(__system__=small_count):
            self.env.invalidate_all()
            large.sudo()._compute_figures()
            self.env.flush_all()

    def test_pdf_in_english_and_chinese(self):
        summary = self._summary()
        summary.action_refresh_figures()
        summary.analysis = "<p>Responses were slow.</p>"
        report = "helpdesk_service_agreement.action_report_helpdesk_service_summary"
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        text = pdf_text(Report._render_qweb_pdf(report, summary.ids)[0])
        for expected in (
            "Service Summary Report",
            "Tickets Received",
            "Responses were slow.",
        ):
            self.assertIn(expected, text)
