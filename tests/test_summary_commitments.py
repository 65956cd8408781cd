# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service summary counts the commitments of seed 002 and the follow-up
visits of seed 003 (issue 22): the compliance of the pre-sale enquiry
response, of the plan proposal and of the feedback answer, and the visits
due, done and late per customer tier; each figure without data reads "—"
with its reason, opens the records it counted, and costs a fixed number of
queries."""

from odoo.tests import tagged

from .common import ServiceCommon
from .plan_common import PlanCommon
from .satisfaction_common import SatisfactionCommon
from .sla_common import SlaCommon, utc
from .test_archive import pdf_text
from .test_sla_commitments import office_calendar

SUMMARY = "helpdesk.service.summary"
VISIT = "helpdesk.service.visit"
REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_summary"
TIERS = ("large", "medium", "small")


class SummaryMixin:
    def _summary(self, start, end, at, **vals):
        values = {
            "scope": "customer",
            "date_start": start,
            "date_end": end,
            "partner_id": self.customer.id,
            **vals,
        }
        with self._at(utc(at)):
            summary = self.env[SUMMARY].with_user(self.lead).create(values)
            summary.action_refresh_figures()
        return summary

    def _opened(self, summary, fname, user=None):
        """The records the figure's line opens."""
        line = summary.with_user(user or self.manager).figure_ids.filtered(
            lambda line: line.fname == fname
        )
        action = line.action_open_records()
        Model = self.env[action["res_model"]].with_context(active_test=False)
        return Model.search(action["domain"])


@tagged("post_install", "-at_install")
class TestSummaryEnquiryAndVisits(SummaryMixin, SlaCommon):
    """March 2026 on the office calendar (2026-03-02 is a Monday): pre-sale
    enquiries answered within 45 minutes or not, follow-up visits of a large
    and a medium customer of the support team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement.write({"enquiry_response_minutes": 45})
        cls.customer.service_team_id = cls.team_support
        cls.medium = cls.env["res.partner"].create(
            {
                "name": "HSA Medium Ltd",
                "is_company": True,
                "customer_tier": "medium",
                "service_team_id": cls.team_support.id,
            }
        )

    def _reply(self, ticket, local):
        with self._at_local(local):
            ticket.with_user(self.manager).message_post(
                body="We can help.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _enquiries(self):
        """Met (30 min), breached (60 min), breached unanswered (found by the
        check), running (not due yet): 1 met of 3 = 33.33 %; an after-sale
        request answered in time is no enquiry."""
        met = self._new_ticket("2026-03-02 10:00", request_type="pre_sale")
        late = self._new_ticket("2026-03-02 10:00", request_type="pre_sale")
        silent = self._new_ticket("2026-03-03 10:00", request_type="pre_sale")
        running = self._new_ticket("2026-03-04 10:00", request_type="pre_sale")
        after_sale = self._new_ticket("2026-03-02 10:00", request_type="after_sale")
        self._reply(met, "2026-03-02 10:30")
        self._reply(late, "2026-03-02 11:00")
        self._reply(after_sale, "2026-03-02 10:10")
        self._check("2026-03-04 10:20")
        return met, late, silent, running

    def _visit(self, partner, tier, due, team=None, **vals):
        return (
            self.env[VISIT]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "tier": tier,
                    "team_id": (team or self.team_support).id,
                    "user_id": self.agent.id,
                    "period_start": due[:8] + "01",
                    "period_end": due,
                    "date_due": due,
                    **vals,
                }
            )
        )

    def _visits(self):
        """Large customer: one held on time, one held late, one missed;
        medium: one planned; not counted: a visit due in April, a care
        record, another team's visit."""
        on_time = self._visit(self.customer, "large", "2026-03-31")
        held_late = self._visit(
            self.customer, "large", "2026-03-15", period_start="2026-03-14"
        )
        missed = self._visit(
            self.customer, "large", "2026-03-10", period_start="2026-03-09"
        )
        planned = self._visit(self.medium, "medium", "2026-03-31")
        self._visit(self.customer, "large", "2026-04-30")
        self._visit(
            self.customer, "large", "2026-03-20", kind="care", care_type="birthday"
        )
        other = self.env["res.partner"].create(
            {"name": "HSA Small Ltd", "is_company": True, "customer_tier": "small"}
        )
        self._visit(other, "small", "2026-03-31", team=self.team_sales)
        with self._at_local("2026-03-20 10:00"):
            (on_time | held_late).with_user(self.agent)._record(
                {"result": "All fine.", "channel": "visit"}
            )
        missed.sudo().write({"state": "late"})
        return on_time, held_late, missed, planned

    def test_enquiry_response_compliance(self):
        met, late, silent, _running = self._enquiries()
        summary = self._summary("2026-03-01", "2026-03-31", "2026-04-01 09:00")
        self.assertAlmostEqual(summary.enquiry_response_compliance, 33.33)
        self.assertNotIn("enquiry_response_compliance", summary.figures_missing)
        # the drill-down opens the three clocks counted, one met
        clocks = self._opened(summary, "enquiry_response_compliance")
        self.assertEqual(clocks.ticket_id, met | late | silent)
        self.assertEqual(sum(clocks.mapped("response_met")), 1)
        self.assertEqual(set(clocks.mapped("target")), {"level"})
        # the same clocks on the team of the pre-sale requests; none on another
        sales = self._summary(
            "2026-03-01",
            "2026-03-31",
            "2026-04-01 09:00",
            scope="team",
            team_id=self.team_sales.id,
            partner_id=False,
        )
        self.assertAlmostEqual(sales.enquiry_response_compliance, 33.33)
        support = self._summary(
            "2026-03-01",
            "2026-03-31",
            "2026-04-01 09:00",
            scope="team",
            team_id=self.team_support.id,
            partner_id=False,
        )
        row = {r["fname"]: r for r in support._comparison_rows()}[
            "enquiry_response_compliance"
        ]
        self.assertEqual(
            (row["value_display"], row["reason"]),
            ("—", "no pre-sale enquiry response due"),
        )
        # the plan and feedback clocks have no data here
        self.assertEqual(
            (
                summary.figures_missing["plan_proposal_compliance"],
                summary.figures_missing["feedback_answer_compliance"],
            ),
            ("no_plan_clock", "no_feedback_clock"),
        )

    def test_visits_per_tier(self):
        on_time, held_late, missed, planned = self._visits()
        summary = self._summary(
            "2026-03-01",
            "2026-03-31",
            "2026-04-01 09:00",
            scope="team",
            team_id=self.team_support.id,
            partner_id=False,
        )
        self.assertEqual(
            {
                fname: summary[fname]
                for fname in ("visits_due", "visits_done", "visits_late")
            },
            {"visits_due": 4, "visits_done": 2, "visits_late": 2},
        )
        self.assertEqual(
            {
                tier: tuple(
                    summary[f"visits_{count}_{tier}"]
                    for count in ("due", "done", "late")
                )
                for tier in TIERS
            },
            {"large": (3, 2, 2), "medium": (1, 0, 0), "small": (0, 0, 0)},
        )
        # a tier without visits due: done and late read "—"
        missing = summary.figures_missing
        self.assertEqual(missing["visits_done_small"], "no_visit_due")
        self.assertEqual(missing["visits_late_small"], "no_visit_due")
        self.assertNotIn("visits_late_medium", missing)
        self.assertNotIn("visits_due_small", missing)
        rows = {r["fname"]: r for r in summary._comparison_rows()}
        self.assertEqual(rows["visits_late_small"]["value_display"], "—")
        self.assertEqual(rows["visits_late_small"]["reason"], "no follow-up visit due")
        self.assertEqual(rows["visits_late_medium"]["value_display"], "0")
        self.assertEqual(rows["visits_due_small"]["value_display"], "0")
        # each figure opens what it counted
        for fname, visits in (
            ("visits_due", on_time | held_late | missed | planned),
            ("visits_done", on_time | held_late),
            ("visits_late", held_late | missed),
            ("visits_late_large", held_late | missed),
            ("visits_due_medium", planned),
            ("visits_late_small", self.env[VISIT]),
        ):
            self.assertEqual(self._opened(summary, fname), visits, fname)
        # the lead of the team reads the same visits
        self.assertEqual(
            self._opened(summary, "visits_late", self.lead), held_late | missed
        )
        # the customer's summary: its own visits only, all large
        mine = self._summary("2026-03-01", "2026-03-31", "2026-04-01 09:00")
        self.assertEqual(
            (mine.visits_due, mine.visits_done, mine.visits_late), (3, 2, 2)
        )
        self.assertEqual(mine.visits_due_medium, 0)

    def test_visits_in_the_pdf(self):
        self._visits()
        summary = self._summary(
            "2026-03-01",
            "2026-03-31",
            "2026-04-01 09:00",
            scope="team",
            team_id=self.team_support.id,
            partner_id=False,
        )
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        text = pdf_text(Report._render_qweb_pdf(REPORT, summary.ids)[0])
        for expected in (
            "Follow-up Visits Late",
            "Visits Late, Large Customers",
            "Visits Due, Small Customers",
            "no follow-up visit due",
            "SLA Compliance, Plan Proposal (%)",
        ):
            self.assertIn(expected, text)

    def test_fixed_number_of_queries(self):
        self._enquiries()
        self._visits()
        summary = self._summary("2026-03-01", "2026-03-31", "2026-04-01 09:00")
        start, end = summary._period()
        domains = summary._figure_domains(start, end)

        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            summary.sudo()._commitment_figures(domains)
            return self.env.cr.sql_log_count - before

        count()
        few = count()
        self.assertLessEqual(few, 2)
        for day in ("05", "06"):
            self._new_ticket(f"2026-03-{day} 10:00", request_type="pre_sale")
            self._visit(
                self.customer,
                "large",
                f"2026-03-{day}",
                period_start=f"2026-03-{day}",
            )
        self.env.flush_all()
        self.assertEqual(count(), few)

    def test_summaries_computed_before_read_not_computed(self):
        summary = self._summary("2026-03-01", "2026-03-31", "2026-04-01 09:00")
        # as a summary computed before the reasons were recorded
        self.env.flush_all()
        summary.env.cr.execute(
            "UPDATE helpdesk_service_summary SET figures_missing = NULL WHERE id = %s",
            [summary.id],
        )
        summary.invalidate_recordset(["figures_missing"])
        reasons = summary._figure_reasons()
        self.assertEqual(reasons["plan_proposal_compliance"], "not_computed")
        self.assertEqual(reasons["visits_due"], "not_computed")
        rows = {r["fname"]: r for r in summary._comparison_rows()}
        self.assertEqual(rows["visits_due"]["value_display"], "—")


@tagged("post_install", "-at_install")
class TestSummaryPlanAndFeedback(SummaryMixin, PlanCommon, SatisfactionCommon):
    """December 2026 on the office calendar (2026-12-07 is a Monday): plan
    proposal within 2 working days of the confirmed need, feedback answered
    within 2 working days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = office_calendar(cls.env)
        cls.agreement.write(
            {
                "resource_calendar_id": cls.office.id,
                "plan_proposal_days": 2,
                "feedback_answer_days": 2,
            }
        )

    def _confirm(self, ticket, local):
        ticket.sudo().write({"user_id": self.agent.id})
        with self._at(utc(local)):
            ticket.with_user(self.agent).action_confirm_need()
        return ticket.sla_commitment_ids

    def test_plan_and_feedback_compliance(self):
        self.ticket.request_type = "pre_sale"
        self.ticket_2.request_type = "in_sale"
        # met: the plan passes the review on Tuesday, before Wednesday 10:00
        kept = self._confirm(self.ticket, "2026-12-07 10:00")
        with self._at(utc("2026-12-08 15:00")):
            self._approved(self.ticket)
        # breached: no plan by Wednesday 10:00
        missed = self._confirm(self.ticket_2, "2026-12-07 10:00")
        # feedback: one answered in time, one never, one satisfied (no clock)
        answered_ticket = self._create_ticket(name="Answered feedback")
        silent_ticket = self._create_ticket(name="Silent feedback")
        happy_ticket = self._create_ticket(name="Happy customer")
        satisfactions = []
        for ticket, scores in (
            (answered_ticket, (5, 2, 4, 8)),
            (silent_ticket, (1, 1, 1, 0)),
            (happy_ticket, (5, 5, 5, 10)),
        ):
            with self._at(utc("2026-12-07 10:00")):
                _acceptance, satisfaction = self._accepted(ticket)
                self._answer(satisfaction, *scores)
            satisfactions.append(satisfaction)
        answered, silent, happy = satisfactions
        self.assertFalse(happy.feedback_phase_ids)
        with self._at(utc("2026-12-08 11:00")):
            answered.with_user(self.agent).message_post(
                body="We will call you tomorrow.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.contact.ids,
            )
        with self._at(utc("2026-12-09 10:30")):
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_check"
            )
        self.assertEqual((kept.sla_state, missed.sla_state), ("met", "breached"))
        self.assertEqual(silent.feedback_sla_state, "breached")
        summary = self._summary("2026-12-01", "2026-12-31", "2026-12-09 11:00")
        self.assertAlmostEqual(summary.plan_proposal_compliance, 50.0)
        self.assertAlmostEqual(summary.feedback_answer_compliance, 50.0)
        self.assertEqual(
            set(self._opened(summary, "plan_proposal_compliance").ids),
            set((kept | missed).ids),
        )
        feedback = self._opened(summary, "feedback_answer_compliance")
        self.assertEqual(
            set(feedback.ids),
            set((answered | silent).feedback_phase_ids.ids),
        )
        self.assertEqual(sum(feedback.mapped("response_met")), 1)
        # none of them in the levels' compliance
        levels = self._opened(summary, "compliance_level_1")
        self.assertFalse(set(levels.ids) & set((kept | missed).ids + feedback.ids))
        rows = {r["fname"]: r for r in summary._comparison_rows()}
        self.assertEqual(rows["plan_proposal_compliance"]["value_display"], "50.00")
        self.assertEqual(rows["plan_proposal_compliance"]["bar"], 50)


@tagged("post_install", "-at_install")
class TestCommitmentDemo(ServiceCommon):
    """The demo data shows each commitment clock (a database with demo)."""

    def test_demo_clocks(self):
        ref = self.env.ref
        presale = ref(
            "helpdesk_service_agreement.helpdesk_ticket_presale_demo",
            raise_if_not_found=False,
        )
        if not presale:
            self.skipTest("no demo data")
        plan = ref("helpdesk_service_agreement.helpdesk_service_plan_call_centre_demo")
        kept = presale.sla_commitment_ids
        self.assertEqual((kept.sla_state, kept.plan_id), ("met", plan))
        self.assertTrue(presale.need_confirmed_date)
        insale = ref("helpdesk_service_agreement.helpdesk_ticket_insale_demo")
        self.assertEqual(insale.plan_sla_state, "at_risk")
        self.assertTrue(insale.sla_commitment_ids.at_risk_warned)
        xiaolan = self.env["helpdesk.service.satisfaction"].search(
            [
                (
                    "acceptance_id",
                    "=",
                    ref(
                        "helpdesk_service_agreement."
                        "helpdesk_service_acceptance_xiaolan_demo"
                    ).id,
                )
            ]
        )
        self.assertEqual(
            (xiaolan.feedback_clock_state, xiaolan.feedback_sla_state),
            ("running", "on_track"),
        )
