# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service summary's figures say what they are (issue 20): a figure
without data reads "—" with its reason in the form and the PDF, never a red
zero; bars measure the value against its target or range and say met or
missed; every figure opens the records it counted, with the same domain."""

from odoo.tests import Form, tagged

from . import test_sla_compliance_report as report_tests
from .sla_common import SlaCommon
from .test_archive import pdf_text

SUMMARY = "helpdesk.service.summary"
WEEK = report_tests.TestSlaComplianceReport
REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_summary"


@tagged("post_install", "-at_install")
class TestSummaryFigures(SlaCommon):
    _reply = WEEK._reply
    _stage = WEEK._stage
    _week = WEEK._week

    def _summary(self, start="2026-03-01", end="2026-03-31", **vals):
        values = {
            "scope": "customer",
            "date_start": start,
            "date_end": end,
            "partner_id": self.customer.id,
            "user_id": self.lead.id,
            **vals,
        }
        summary = self.env[SUMMARY].with_user(self.lead).create(values)
        summary.action_refresh_figures()
        return summary

    def _rows(self, summary):
        return {row["fname"]: row for row in summary._comparison_rows()}

    def _lines(self, summary):
        return {line.fname: line for line in summary.figure_ids}

    def test_no_data_reads_dash_with_its_reason(self):
        empty = self._summary(start="2026-02-01", end="2026-02-28")
        self.assertEqual(
            empty.figures_missing,
            {
                "complaint_rate": "no_tickets",
                "response_p50": "no_response",
                "response_p90": "no_response",
                "resolution_p50": "no_resolution",
                "resolution_p90": "no_resolution",
                "compliance_level_1": "no_clock",
                "compliance_level_2": "no_clock",
                "compliance_level_3": "no_clock",
                "complaint_on_time_rate": "no_complaint_clock",
                "acceptance_first_pass_rate": "no_acceptance",
                "score_response_speed": "no_answers",
                "score_resolution": "no_answers",
                "score_communication": "no_answers",
                "recommend_rate": "no_answers",
                "renewal_rate": "no_agreement_due",
                "enquiry_response_compliance": "no_enquiry_clock",
                "plan_proposal_compliance": "no_plan_clock",
                "feedback_answer_compliance": "no_feedback_clock",
                "visits_done": "no_visit_due",
                "visits_late": "no_visit_due",
                "visits_done_large": "no_visit_due",
                "visits_late_large": "no_visit_due",
                "visits_done_medium": "no_visit_due",
                "visits_late_medium": "no_visit_due",
                "visits_done_small": "no_visit_due",
                "visits_late_small": "no_visit_due",
            },
        )
        rows = self._rows(empty)
        for fname, reason in (
            ("recommend_rate", "no answers"),
            ("renewal_rate", "no agreement due"),
            ("response_p50", "no response"),
        ):
            row = rows[fname]
            self.assertEqual(row["value_display"], "—", fname)
            self.assertEqual(row["reason"], reason, fname)
            # not missed: nothing to compare with the target, no red, no bar
            self.assertIsNone(row["met"], fname)
            self.assertIsNone(row["bar"], fname)
            self.assertEqual(row["target"] is None, fname == "response_p90")
        # a count without data is a true zero
        self.assertEqual(rows["tickets_received"]["value_display"], "0")
        # the form's lines, as the lead reads them
        lines = self._lines(empty.with_user(self.lead))
        self.assertEqual(len(lines), 40)
        line = lines["recommend_rate"]
        self.assertEqual(
            (line.value_display, line.reason, line.target_state, line.has_bar),
            ("—", "no answers", "no_data", False),
        )
        self.assertEqual(line.target_display, "80")
        self.assertEqual(lines["renewal_rate"].reason, "no agreement due")
        # the form the lead opens lists them
        form = Form(empty.with_user(self.lead))
        self.assertEqual(len(form.figure_ids), 40)
        shown = {
            line["label"]: line["value_display"] for line in form.figure_ids._records
        }
        self.assertEqual(shown["Recommendation Rate (%)"], "—")
        self.assertEqual(shown["Tickets Received"], "0")

    def test_no_data_in_the_pdf(self):
        empty = self._summary(start="2026-02-01", end="2026-02-28")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        text = pdf_text(Report._render_qweb_pdf(REPORT, empty.ids)[0])
        for expected in ("—", "no answers", "no agreement due", "no response"):
            self.assertIn(expected, text)
        # every rate and time of an empty period is without data: no 0.00
        self.assertNotIn("0.00", text)
        self.assertNotIn("Missed", text)

    def test_bars_against_targets_met_and_missed(self):
        self._week()
        summary = self._summary()
        rows = self._rows(summary)
        # compliance against 100 %: level 1 one met of two, level 2 one of four
        self.assertEqual(rows["compliance_level_1"]["bar"], 50)
        self.assertEqual(rows["compliance_level_2"]["bar"], 25)
        self.assertEqual(rows["compliance_level_3"]["value_display"], "—")
        # the median response, 8.75 h, against the company's 24 h
        response = rows["response_p50"]
        self.assertEqual(response["target"], 24.0)
        self.assertEqual((response["bar"], response["bar_target"]), (36, 100))
        self.assertIs(response["met"], True)
        self.assertEqual(response["met_display"], "Met")
        # a count with neither target nor previous period: no bar
        self.assertIsNone(rows["tickets_received"]["bar"])
        self.assertEqual(self._lines(summary)["response_p50"].target_state, "met")
        # a renewal due and not renewed: a real 0 %, missed against 95 %
        other = self.env["res.partner"].create(
            {"name": "HSA Leaving Customer", "is_company": True}
        )
        self._create_agreement(
            code="HSA-END-20",
            partner_id=other.id,
            start_date="2025-03-16",
            end_date="2026-03-15",
        )
        leaving = self._summary(partner_id=other.id)
        renewal = self._rows(leaving)["renewal_rate"]
        self.assertEqual(renewal["value_display"], "0.00")
        self.assertIs(renewal["met"], False)
        self.assertEqual((renewal["bar"], renewal["bar_target"]), (0, 95))
        self.assertEqual(self._lines(leaving)["renewal_rate"].target_state, "missed")
        # the previous period's bar on the same scale
        self._week_after = self._summary(start="2026-04-01", end="2026-04-30")
        april = self._rows(self._week_after)["compliance_level_2"]
        self.assertEqual(april["bar_previous"], 25)
        self.assertEqual(april["previous_display"], "25.00")

    def test_drill_down_opens_the_counted_records(self):
        self._week()
        self._new_ticket(request_type="complaint")
        summary = self._summary()

        def opened(fname, user=self.manager):
            action = self._lines(summary.with_user(user))[fname].action_open_records()
            Model = self.env[action["res_model"]].with_context(active_test=False)
            return Model, action["domain"]

        for fname, count in (
            ("tickets_received", 8),
            ("tickets_closed", 5),
            ("complaint_count", 1),
            ("complaint_rate", 1),
            ("escalation_count", summary.escalation_count),
            ("satisfaction_count", 0),
            ("agreements_due", 0),
        ):
            Model, domain = opened(fname)
            self.assertEqual(Model.search_count(domain), count, fname)
            self.assertEqual(summary[fname] if "count" in fname else count, count)
        # compliance: the clocks met or breached at the level
        Model, domain = opened("compliance_level_2")
        self.assertEqual(Model._name, "helpdesk.sla.report")
        phases = Model.search(domain)
        self.assertEqual(set(phases.mapped("level")), {"2"})
        self.assertEqual((sum(phases.mapped("met")), len(phases)), (1, 4))
        # the medians: computed over exactly the clocks the action opens
        Model, domain = opened("response_p90")
        figures = Model._get_compliance_figures(domain)[0]
        self.assertAlmostEqual(figures["response_p50"], summary.response_p50)
        self.assertAlmostEqual(figures["response_p90"], summary.response_p90)
        # every figure opens its records
        for line in summary.with_user(self.lead).figure_ids:
            action = line.action_open_records()
            self.assertEqual(action["type"], "ir.actions.act_window", line.fname)
            self.env[action["res_model"]].with_user(self.lead).search_count(
                action["domain"]
            )
        # the lead opens them too, within their own rights
        Model, domain = opened("tickets_received", self.lead)
        self.assertEqual(
            self.env["helpdesk.ticket"].with_user(self.lead).search_count(domain), 8
        )
