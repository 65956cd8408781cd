# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Appraisals (issue 23): the figures of each member's work computed by the
database, against values computed by hand for two agents; the lead's part,
the manager's approval, approved is final; who reads which appraisal; the
same number of queries for 2 or 10 members."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.helpdesk_service_visit import SYSTEM_FIELDS as VISIT_FIELDS
from ..models.system_fields import system_write
from .common import MODULE
from .satisfaction_common import SatisfactionCommon

APPRAISAL = "helpdesk.service.appraisal"


@tagged("post_install", "-at_install")
class TestAppraisal(SatisfactionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month = fields.Date.today().replace(day=1)
        cls.project = cls.env["project.project"].create({"name": "HSA Appraisal"})
        # the tickets close without the acceptance gate (tests/test_acceptance.py)
        cls.agreement.acceptance_required = False

    def _closed_ticket(self, user, response, resolution, breached=False, **vals):
        """A ticket of ``user`` closed now, its level-1 clock set to the
        given working hours (as the SLA engine records them)."""
        ticket = self._create_ticket(user_id=user.id, **vals)
        ticket.stage_id = self.stage_done
        now = fields.Datetime.now()
        phase = ticket.sla_phase_ids[:1] or self.env[
            "helpdesk.ticket.sla.phase"
        ].create({"ticket_id": ticket.id, "level": "1", "date_start": now})
        phase.write(
            {
                "user_id": user.id,
                "date_start": now,
                "date_end": now,
                "state": "done",
                "response_deadline": now,
                "response_date": now,
                "response_breached": False,
                "resolution_deadline": now,
                "resolution_date": now,
                "resolution_breached": breached,
                "consumed_hours": resolution,
            }
        )
        # the working hours the engine computed from the calendar, as given
        phase.response_work_hours = response
        return ticket

    def _check(self, user, result):
        task = self.env["project.task"].create(
            {"name": "HSA task", "project_id": self.project.id, "user_ids": user.ids}
        )
        return self.env["helpdesk.service.plan.quality.check"].create(
            {
                "task_id": task.id,
                "criteria": "HSA criteria",
                "result": result,
                "corrective_action": "Redo it.",
            }
        )

    def _complaint(self, user, feedback=False):
        ticket = self._create_ticket(
            name="HSA complaint", request_type="complaint", complained_user_id=user.id
        )
        ticket.complaint_feedback = feedback
        return ticket

    def _visit(self, user, due, done=None, state=None, kind="visit"):
        """A follow-up visit of ``user`` due on ``due``, recorded on
        ``done`` (or left in ``state``)."""
        start = due.replace(day=1)
        values = {
            "kind": kind,
            # a customer of its own: one visit per customer and period
            "partner_id": self.env["res.partner"]
            .create({"name": f"HSA visited {due}", "is_company": True})
            .id,
            "user_id": user.id,
            "period_start": start if kind == "visit" else due,
            "period_end": due if kind == "visit" else False,
            "date_due": due,
            "care_type": "festival" if kind == "care" else False,
        }
        if done:
            values.update(state="done", date_done=done)
        elif state:
            values["state"] = state
        with system_write(*VISIT_FIELDS):
            visit = self.env["helpdesk.service.visit"].create(
                {k: v for k, v in values.items() if k not in ("state", "date_done")}
            )
            visit.write(
                {k: v for k, v in values.items() if k in ("state", "date_done")}
            )
        return visit

    def _appraisals(self, users, team=None):
        Appraisal = self.env[APPRAISAL]
        appraisals = Appraisal.create(
            [
                {
                    "user_id": user.id,
                    "team_id": (team or self.team_support).id,
                    "period_type": "month",
                    "date_start": self.month,
                }
                for user in users
            ]
        )
        appraisals._compute_figures()
        return appraisals

    def test_figures_against_hand_computed_values(self):
        # agent: three tickets (response 1, 3, 5 h; resolution 4, 8, 12 h, the
        # last one late), two checks passed and one failed, an acceptance
        # passed at the first round with its survey (5, 4, 5), a complaint the
        # customer was satisfied with
        self._closed_ticket(self.agent, 1.0, 4.0)
        self._closed_ticket(self.agent, 3.0, 8.0)
        self._closed_ticket(self.agent, 5.0, 12.0, breached=True)
        for result in ("pass", "pass", "fail"):
            self._check(self.agent, result)
        self.ticket.user_id = self.agent
        _acceptance, satisfaction = self._accepted(self.ticket)
        self._answer(satisfaction, 5, 4, 5, 9)
        self._complaint(self.agent, "satisfied")
        # agent_2: one ticket on time (2 h, 6 h), a failed check, a complaint
        # not satisfied and one still open, no acceptance
        self._closed_ticket(self.agent_2, 2.0, 6.0)
        self._check(self.agent_2, "fail")
        self._complaint(self.agent_2, "not_satisfied")
        self._complaint(self.agent_2)
        # follow-up visits due in the month: agent one recorded on time, one
        # recorded late, one missed; not counted: a visit due the month before,
        # a care record, agent_2's visit; agent_2 one recorded on time
        month, before = self.month, self.month - timedelta(days=1)
        self._visit(self.agent, month, done=month)
        self._visit(self.agent, month, done=month + timedelta(days=3))
        self._visit(self.agent, month + timedelta(days=1), state="late")
        self._visit(self.agent, before, done=before)
        self._visit(self.agent, month, done=month, kind="care")
        self._visit(self.agent_2, month + timedelta(days=2), done=month)
        mine, theirs = self._appraisals(self.agent | self.agent_2)
        self.assertRecordValues(
            mine,
            [
                {
                    "tickets_handled": 3,
                    "response_p50": 3.0,
                    # percentile_cont: 3 + 0.8 × (5 - 3)
                    "response_p90": 4.6,
                    "resolution_p50": 8.0,
                    "resolution_p90": 11.2,
                    "sla_met": 2,
                    "sla_breached": 1,
                    "sla_compliance": 66.67,
                    "quality_passed": 2,
                    "quality_failed": 1,
                    "satisfaction_count": 1,
                    "satisfaction_score": 4.67,
                    "complaint_count": 1,
                    "complaint_satisfied": 1,
                    "complaint_not_satisfied": 0,
                    "acceptance_count": 1,
                    "acceptance_first_pass_rate": 100.0,
                    "visit_due": 3,
                    "visit_on_time": 1,
                    "visit_late": 2,
                    "visit_on_time_rate": 33.33,
                }
            ],
        )
        self.assertFalse(mine.figures_missing)
        self.assertRecordValues(
            theirs,
            [
                {
                    "tickets_handled": 1,
                    "response_p50": 2.0,
                    "response_p90": 2.0,
                    "resolution_p50": 6.0,
                    "resolution_p90": 6.0,
                    "sla_met": 1,
                    "sla_breached": 0,
                    "sla_compliance": 100.0,
                    "quality_passed": 0,
                    "quality_failed": 1,
                    "satisfaction_count": 0,
                    "complaint_count": 2,
                    "complaint_satisfied": 0,
                    "complaint_not_satisfied": 1,
                    "acceptance_count": 0,
                    "visit_due": 1,
                    "visit_on_time": 1,
                    "visit_late": 0,
                    "visit_on_time_rate": 100.0,
                }
            ],
        )
        self.assertEqual(
            theirs.figures_missing,
            {
                "satisfaction_score": "no_answers",
                "acceptance_first_pass_rate": "no_acceptance",
            },
        )
        # performance on the 5-point scale: the average of the rates with data
        # (compliance 66.67, checks 66.67, first pass 100, satisfaction
        # (4.67 - 1) / 4 = 91.75, visits on time 33.33) → 71.68 % → 3.58
        self.assertAlmostEqual(mine.score_performance, 3.58, places=2)
        # agent_2: compliance 100, checks 0, visits on time 100 → 66.67 % → 3.33
        self.assertAlmostEqual(theirs.score_performance, 3.33, places=2)
        # the lead's part, weighted 60/20/20: (3.33×60 + 5×20 + 3×20) / 100
        theirs.with_user(self.lead).write(
            {"score_attitude": 5, "score_knowledge": 3, "rating": "satisfactory"}
        )
        self.assertAlmostEqual(theirs.score_total, 3.6, places=2)
        with self.assertRaises(UserError):
            theirs.with_user(self.lead).score_knowledge = 6

    def test_workflow_and_final(self):
        appraisal = self._appraisals(self.agent)
        lead_view = appraisal.with_user(self.lead)
        with self.assertRaises(UserError):
            lead_view.action_submit()  # no assessment yet
        lead_view.write({"score_attitude": 4, "score_knowledge": 4, "rating": "good"})
        lead_view.action_submit()
        with self.assertRaises(UserError):
            lead_view.action_approve()  # only a manager approves
        with self.assertRaises(UserError):
            lead_view.rating = "excellent"  # submitted: frozen for the lead
        appraisal.with_user(self.manager).action_approve()
        self.assertEqual(appraisal.state, "approved")
        # approved is final, for everyone, the superuser included
        with self.assertRaises(UserError):
            appraisal.sudo().comments = "<p>Changed</p>"
        with self.assertRaises(UserError):
            appraisal.sudo().unlink()
        with self.assertRaises(AccessError):
            lead_view.write({"state": "draft"})

    def test_access_per_role(self):
        mine, lead_own = self._appraisals(self.agent | self.lead)
        # agent_2 appraised in the complaint team, led by the manager
        theirs = self._appraisals(self.agent_2, team=self.team_complaints)
        Appraisal = self.env[APPRAISAL]
        # a member reads their own appraisal, nobody else's
        self.assertEqual(Appraisal.with_user(self.agent).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.agent).read(["score_total"])
        with self.assertRaises(AccessError):
            mine.with_user(self.agent).write({"comments": "<p>Great</p>"})
        # the lead reads their team's (their own too) and writes the members'
        # appraisals, never their own
        self.assertEqual(Appraisal.with_user(self.lead).search([]), mine | lead_own)
        with self.assertRaises(AccessError):
            theirs.with_user(self.lead).read(["score_total"])
        mine.with_user(self.lead).comments = "<p>Answers quickly.</p>"
        with self.assertRaises(AccessError):
            lead_own.with_user(self.lead).score_attitude = 5
        # the team's distribution as the lead reads it: their team only
        groups = Appraisal.with_user(self.lead)._read_group(
            [], ["team_id"], ["score_total:avg"]
        )
        self.assertEqual([team for team, _avg in groups], [self.team_support])
        # managers read all
        self.assertEqual(
            Appraisal.with_user(self.manager).search([]) & (mine | lead_own | theirs),
            mine | lead_own | theirs,
        )

    def test_fixed_number_of_queries(self):
        members = [
            new_test_user(
                self.env,
                login=f"hsa_member_{i}",
                groups=f"{MODULE}.group_service_agent",
            )
            for i in range(10)
        ]
        for member in members:
            self._closed_ticket(member, 1.0, 2.0)
        Appraisal = self.env[APPRAISAL]

        def appraisals(users, month):
            return Appraisal.create(
                [
                    {
                        "user_id": user.id,
                        "team_id": self.team_support.id,
                        "date_start": month,
                    }
                    for user in users
                ]
            )

        two = appraisals(members[:2], self.month)
        ten = appraisals(members, self.month.replace(year=self.month.year - 1))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            two._compute_figures()
            self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            ten._compute_figures()
            self.env.flush_all()
        self.assertEqual(two.mapped("tickets_handled"), [1, 1])
