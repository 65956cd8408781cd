# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Training records (issue 23): sessions with participants, hours and
results; each member's history; the onboarding requirement per role and the
manager's to-do, once, for a member who has not completed it in time."""

from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tests import tagged

from .common import ServiceCommon

TRAINING = "helpdesk.service.training"
CRON = "helpdesk_service_agreement.ir_cron_helpdesk_service_training_onboarding"


@tagged("post_install", "-at_install")
class TestTraining(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "onboarding_hours_agent": 16.0,
                "onboarding_hours_lead": 24.0,
                "onboarding_days": 30,
                "training_manager_id": cls.manager.id,
            }
        )

    def _session(self, training_type="onboarding", hours=8.0, lines=(), **vals):
        return (
            self.env[TRAINING]
            .with_user(self.lead)
            .create(
                {
                    "name": "HSA Onboarding",
                    "training_type": training_type,
                    "date": "2026-01-10",
                    "hours": hours,
                    "trainer_id": self.lead.id,
                    "line_ids": [
                        (0, 0, {"user_id": user.id, "result": result, **extra})
                        for user, result, extra in lines
                    ],
                    **vals,
                }
            )
        )

    def _todos(self, member):
        return self.env["mail.activity"].search(
            Domain("res_model", "=", "res.partner")
            & Domain("res_id", "=", member.partner_id.id)
            & Domain("user_id", "=", self.manager.id)
        )

    def test_session_history_and_onboarding_hours(self):
        page = self.env["document.page"].create(
            {
                "name": "HSA Typical case",
                "parent_id": self.env.ref(
                    "helpdesk_service_agreement.document_page_service_knowledge"
                ).id,
                "content": "<p>Case</p>",
            }
        )
        session = self._session(
            lines=[(self.agent, "passed", {}), (self.agent_2, "failed", {})],
            page_ids=[(6, 0, page.ids)],
        )
        self._session(
            training_type="case_study",
            hours=3.0,
            lines=[(self.agent, "passed", {"hours": 2.5})],
        )
        self.assertEqual(session.participant_count, 2)
        self.assertEqual(session.line_ids.mapped("hours"), [8.0, 8.0])
        self.assertEqual(self.agent.service_training_count, 2)
        # only passed onboarding counts towards the requirement
        self.assertEqual(self.agent.service_onboarding_hours, 8.0)
        self.assertEqual(self.agent_2.service_onboarding_hours, 0.0)
        self.assertEqual(self.agent.service_onboarding_required, 16.0)
        self.assertEqual(self.lead.service_onboarding_required, 24.0)
        # the history the user's smart button opens
        action = self.agent.with_user(self.manager).action_open_service_trainings()
        lines = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(
            sorted(lines.mapped("hours")), [2.5, 8.0], "the agent's two sessions"
        )
        # a member reads their own results only; agents record no training
        Line = self.env["helpdesk.service.training.line"]
        own = Line.with_user(self.agent).search([])
        self.assertEqual(own.user_id, self.agent)
        self.assertEqual(len(Line.with_user(self.lead).search([])), 3)
        with self.assertRaises(AccessError):
            self.env[TRAINING].with_user(self.agent).create(
                {"name": "Self-taught", "hours": 1.0}
            )

    def test_joining_a_team_records_the_date(self):
        newcomer = self.env["res.users"].create(
            {"name": "HSA Newcomer", "login": "hsa_newcomer"}
        )
        self.assertFalse(newcomer.service_join_date)
        with self._at("2026-02-01 08:00"):
            self.team_support.user_ids = [(4, newcomer.id)]
        self.assertEqual(str(newcomer.service_join_date), "2026-02-01")

    def test_onboarding_todo_once(self):
        (self.agent | self.agent_2 | self.lead).write(
            {"service_join_date": "2026-01-01"}
        )
        self._session(
            hours=8.0, lines=[(self.agent, "passed", {}), (self.lead, "passed", {})]
        )
        self._session(hours=16.0, lines=[(self.agent_2, "passed", {})])
        # within the 30 days: nobody is late
        with self._at("2026-01-30 09:00"):
            self._run_cron(CRON)
        self.assertFalse(self._todos(self.agent))
        with self._at("2026-02-05 09:00"):
            self._run_cron(CRON)
        # 8 of 16 hours: late; 16 of 16: done; the lead's 8 of 24: late
        self.assertEqual(len(self._todos(self.agent)), 1)
        self.assertFalse(self._todos(self.agent_2))
        self.assertEqual(len(self._todos(self.lead)), 1)
        self.assertIn("8 of the 16 hours", str(self._todos(self.agent).note))
        self.assertTrue(self.agent.service_onboarding_todo_date)
        # once: the next days give no second to-do
        with self._at("2026-02-06 09:00"):
            self._run_cron(CRON)
        self.assertEqual(len(self._todos(self.agent)), 1)
        # nobody sets the reminder's date over RPC
        with self.assertRaises(AccessError):
            self.agent.with_user(self.env.ref("base.user_admin")).write(
                {"service_onboarding_todo_date": False}
            )
