# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The commitments of seed 002 on the SLA clock: enquiry response of pre-sale
# requests, plan proposal after the confirmed need, feedback answer.
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .plan_common import PlanCommon
from .satisfaction_common import SatisfactionCommon
from .sla_common import SlaCommon, utc

PHASE = "helpdesk.ticket.sla.phase"
STATEMENT = "helpdesk.service.sla.statement"


def office_calendar(env):
    """Shanghai office hours, 8 a day, Monday to Friday (as SlaCommon's)."""
    return env["resource.calendar"].create(
        {
            "name": "HSA commitments office",
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


@tagged("post_install", "-at_install")
class TestEnquiryAndPlanCommitments(SlaCommon):
    """2026-03-06 is a Friday; the calendar works 09:00-12:00, 13:00-18:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement.write(
            {
                "enquiry_response_minutes": 45,
                "plan_proposal_days": 2,
                "feedback_answer_days": 3,
            }
        )

    def _statement(self):
        with self._at_local("2026-04-01 09:00"):
            values = self.env[STATEMENT]._statement_values(
                self.agreement, date(2026, 3, 1), date(2026, 3, 31)
            )[self.agreement.id]
        return {
            command[2]["kind"]: command[2]
            for command in values["line_ids"]
            if command[2]["kind"]
            in ("enquiry_response", "plan_proposal", "feedback_answer")
        }

    def test_defaults_come_from_the_company_and_the_template(self):
        self.company.write(
            {
                "sla_enquiry_response_minutes": 20,
                "sla_plan_proposal_days": 4,
                "sla_feedback_answer_days": 6,
            }
        )
        template = self.env["agreement"].create(
            {"name": "HSA template", "is_template": True, "code": "HSA-TPL"}
        )
        self.assertEqual(
            (
                template.enquiry_response_minutes,
                template.plan_proposal_days,
                template.feedback_answer_days,
            ),
            (20, 4, 6),
        )
        template.plan_proposal_days = 9
        values = template._get_template_values()
        self.assertEqual(values["plan_proposal_days"], 9)
        self.assertEqual(values["enquiry_response_minutes"], 20)

    def test_enquiry_response_is_the_stricter_target(self):
        """A pre-sale request at level 1 (no response target of its own) is
        answered within the 45 minutes of the agreement; an after-sale one
        has no response target."""
        enquiry = self._new_ticket("2026-03-06 17:30", request_type="pre_sale")
        other = self._new_ticket("2026-03-06 17:30", request_type="after_sale")
        self.assertEqual(enquiry.problem_level, "1")
        self.assertEqual(enquiry.sla_phase_id.response_hours, 0.75)
        # 30 working minutes on Friday, 15 on Monday morning
        self.assertEqual(enquiry.response_deadline, utc("2026-03-09 09:15"))
        self.assertFalse(other.response_deadline)
        # late answer: breached, counted on the statement's enquiry row
        with self._at_local("2026-03-09 10:00"):
            enquiry.with_user(self.manager).message_post(
                body="We can help.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertTrue(enquiry.sla_phase_id.response_breached)
        line = self._statement()["enquiry_response"]
        self.assertEqual((line["met_count"], line["breached_count"]), (0, 1))
        self.assertEqual(line["target_hours"], 0.75)

    def _confirmed_need(self, local="2026-03-06 10:00", **vals):
        ticket = self._new_ticket(local, request_type="in_sale", **vals)
        ticket.user_id = self.agent
        with self._at_local(local):
            ticket.with_user(self.agent).action_confirm_need()
        return ticket

    def test_plan_clock_counts_working_days_over_the_weekend(self):
        ticket = self._confirmed_need()
        phase = ticket.sla_commitment_ids
        self.assertEqual(len(phase), 1)
        self.assertEqual(phase.target, "plan")
        self.assertEqual(phase.calendar_id, self.calendar)
        # 2 working days = 16 working hours from Friday 10:00: Tuesday 10:00
        self.assertEqual(ticket.plan_deadline, utc("2026-03-10 10:00"))
        self.assertEqual(ticket.plan_sla_state, "on_track")
        # the level clock of the ticket is not the plan's
        self.assertEqual(ticket.sla_phase_ids.target, "level")
        self.assertNotIn(phase, ticket.sla_phase_ids)
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).action_confirm_need()

    def test_only_requests_before_the_plan_confirm_a_need(self):
        ticket = self._new_ticket(request_type="after_sale")
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).action_confirm_need()
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).write({"need_confirmed_date": "2026-03-02"})

    def test_plan_clock_pauses_with_the_request(self):
        ticket = self._confirmed_need()
        # waits on the customer from Monday 10:00 to Tuesday 10:00 (8 h)
        with self._at_local("2026-03-09 10:00"):
            ticket.stage_id = self.stage_waiting
        phase = ticket.sla_commitment_ids
        self.assertEqual(phase.state, "paused")
        with self._at_local("2026-03-10 10:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(phase.state, "running")
        self.assertEqual(phase.paused_hours, 8.0)
        self.assertEqual(ticket.plan_deadline, utc("2026-03-11 10:00"))

    def test_plan_breach_is_recorded_and_the_owner_told(self):
        ticket = self._confirmed_need()
        # at risk at 80 % of the 16 h: Monday 15:48
        self._check("2026-03-09 16:00")
        phase = ticket.sla_commitment_ids
        self.assertEqual(phase.sla_state, "at_risk")
        self.assertTrue(phase.at_risk_warned)
        self._check("2026-03-10 10:30")
        self.assertTrue(phase.response_breached)
        self.assertEqual(phase.sla_state, "breached")
        notes = ticket.message_ids.filtered(
            lambda message: "SLA breached" in (message.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn(self.agent.partner_id, notes.partner_ids)
        self.assertTrue(ticket.activity_ids.filtered(lambda a: a.user_id == self.agent))
        # the ticket's own level clock is untouched by it
        self.assertFalse(ticket.sla_phase_id.response_breached)
        self._check("2026-03-10 11:00")
        self.assertEqual(
            len(
                ticket.message_ids.filtered(
                    lambda message: "SLA breached" in (message.body or "")
                )
            ),
            1,
        )
        report = self.env["helpdesk.sla.report"].search(
            [("ticket_id", "=", ticket.id), ("target", "=", "plan")]
        )
        self.assertEqual((report.breached, report.response_breached), (1, 1))
        line = self._statement()["plan_proposal"]
        self.assertEqual((line["met_count"], line["breached_count"]), (0, 1))
        self.assertEqual(line["target_hours"], 16.0)

    def test_closing_the_request_drops_the_plan_clock(self):
        ticket = self._confirmed_need()
        with self._at_local("2026-03-09 10:00"):
            ticket.stage_id = self.stage_done
        phase = ticket.sla_commitment_ids
        self.assertEqual(phase.state, "done")
        self.assertFalse(phase.response_breached)


@tagged("post_install", "-at_install")
class TestPlanProposalMet(PlanCommon):
    def test_plan_passing_the_review_meets_the_clock(self):
        self.agreement.plan_proposal_days = 3
        self.ticket.write({"request_type": "pre_sale", "user_id": self.agent.id})
        self.ticket.with_user(self.agent).action_confirm_need()
        phase = self.ticket.sla_commitment_ids
        plan = self._plan()
        self.assertEqual(plan.proposal_deadline, phase.response_deadline)
        self.assertEqual(plan.proposal_sla_state, "on_track")
        plan.with_user(self.agent).action_submit()
        self.assertEqual(phase.state, "running")
        plan.with_user(self.manager).action_approve()
        self.assertEqual(phase.state, "done")
        self.assertEqual(phase.sla_state, "met")
        self.assertEqual(phase.plan_id, plan)
        plan.invalidate_recordset()
        self.assertEqual(plan.proposal_sla_state, "met")
        report = self.env["helpdesk.sla.report"].search([("id", "=", phase.id)])
        self.assertEqual(
            (report.met, report.response_met, report.compliance), (1, 1, 100.0)
        )


@tagged("post_install", "-at_install")
class TestFeedbackAnswer(SatisfactionCommon):
    """2026-12-11 is a Friday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = office_calendar(cls.env)
        cls.agreement.write(
            {"resource_calendar_id": cls.office.id, "feedback_answer_days": 2}
        )

    def _answered(self, local, *scores, text=""):
        _acceptance, satisfaction = self._accepted()
        with self._at(utc(local)):
            self._answer(satisfaction, *scores, text=text)
        return satisfaction

    def test_satisfied_answer_without_comments_needs_no_answer(self):
        satisfaction = self._answered("2026-12-11 10:00", 5, 5, 4, 9)
        self.assertEqual(satisfaction.state, "answered")
        self.assertFalse(satisfaction.feedback_phase_ids)

    def test_low_score_starts_the_clock_over_the_weekend(self):
        satisfaction = self._answered("2026-12-11 10:00", 5, 2, 4, 8)
        phase = satisfaction.feedback_phase_ids
        self.assertEqual(phase.target, "feedback")
        self.assertEqual(phase.calendar_id, self.office)
        self.assertEqual(satisfaction.feedback_deadline, utc("2026-12-15 10:00"))
        self.assertEqual(satisfaction.feedback_sla_state, "on_track")

    def test_answer_meets_the_clock_and_pause_moves_it(self):
        satisfaction = self._answered(
            "2026-12-11 10:00", 5, 5, 5, 10, text="Please call before coming."
        )
        phase = satisfaction.feedback_phase_ids
        self.assertTrue(phase)
        with self._at(utc("2026-12-14 10:00")):
            satisfaction.with_user(self.agent).action_feedback_pause()
        self.assertEqual(phase.state, "paused")
        # the customer's reply resumes it: 4 working hours later
        with self._at(utc("2026-12-14 15:00")):
            satisfaction.sudo().message_post(
                body="Any morning.",
                author_id=self.contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(phase.state, "running")
        self.assertEqual(phase.paused_hours, 4.0)
        self.assertEqual(satisfaction.feedback_deadline, utc("2026-12-15 15:00"))
        with self._at(utc("2026-12-15 11:00")):
            satisfaction.with_user(self.agent).message_post(
                body="We will call you tomorrow at 9.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.contact.ids,
            )
        self.assertEqual(satisfaction.feedback_answered_by_id, self.agent)
        self.assertEqual((phase.state, phase.sla_state), ("done", "met"))
        self.assertFalse(phase.response_breached)

    def test_unanswered_feedback_is_breached(self):
        satisfaction = self._answered("2026-12-11 10:00", 1, 1, 1, 0)
        phase = satisfaction.feedback_phase_ids
        self.assertTrue(phase)
        with self._at(utc("2026-12-15 10:30")):
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_check"
            )
        self.assertTrue(phase.response_breached)
        self.assertEqual(satisfaction.feedback_sla_state, "breached")
        self.assertTrue(
            satisfaction.message_ids.filtered(
                lambda message: "was not answered" in (message.body or "")
            )
        )
        values = self.env[STATEMENT]._statement_values(
            self.agreement, date(2026, 12, 1), date(2026, 12, 31)
        )[self.agreement.id]
        lines = {command[2]["kind"]: command[2] for command in values["line_ids"]}
        line = lines["feedback_answer"]
        self.assertEqual((line["met_count"], line["breached_count"]), (0, 1))
        # the levels' own figures leave the feedback clock out
        self.assertNotIn(
            phase.id,
            self.env["helpdesk.sla.report"].search([("target", "=", "level")]).ids,
        )
