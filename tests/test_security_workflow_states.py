# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .sla_common import SlaCommon


@tagged("post_install", "-at_install")
class TestWorkflowStates(SlaCommon):
    """States move only through the actions that check them."""

    def test_postmortem_done_only_through_its_action(self):
        ticket = self._new_ticket(problem_level="3")
        Postmortem = self.env["helpdesk.ticket.postmortem"].with_user(self.agent)
        with self.assertRaises(AccessError):
            Postmortem.create({"ticket_id": ticket.id, "state": "done"})
        postmortem = Postmortem.create({"ticket_id": ticket.id})
        with self.assertRaises(AccessError):
            postmortem.write({"state": "done"})
        self.assertEqual(postmortem.state, "draft")
        # the level-3 ticket still cannot close on an empty postmortem
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).write({"stage_id": self.stage_done.id})
        with self.assertRaises(UserError):
            postmortem.action_done()
        postmortem.write(
            {
                "impact": "<p>All stopped.</p>",
                "root_cause": "<p>Certificate.</p>",
                "corrective_actions": "<p>Renewed.</p>",
                "preventive_actions": "<p>Monitored.</p>",
            }
        )
        postmortem.action_done()
        self.assertEqual(postmortem.state, "done")

    def test_agreement_state_only_through_its_actions(self):
        Agreement = self.env["agreement"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Agreement.create(
                {
                    "name": "Forged",
                    "code": "FORGED-1",
                    "partner_id": self.customer.id,
                    "state": "active",
                }
            )
        draft = Agreement.create(
            {"name": "No levels", "code": "FORGED-2", "partner_id": self.customer.id}
        )
        draft.service_level_ids.unlink()
        with self.assertRaises(AccessError):
            draft.write({"state": "active"})
        self.assertEqual(draft.state, "draft")
        with self.assertRaises(ValidationError):
            draft.action_activate()
        for fname, value in (
            ("state", "draft"),
            ("termination_reason", "forged"),
            ("renewal_notice_date", "2026-01-01"),
            ("successor_id", draft.id),
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self.agreement.with_user(self.manager).write({fname: value})
        self.assertEqual(self.agreement.state, "active")
        # the actions still move them
        self.agreement.with_user(self.manager)._terminate(
            self.agreement.start_date, "Customer closed its office."
        )
        self.assertEqual(self.agreement.state, "terminated")
