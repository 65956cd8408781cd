# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .sla_common import SlaCommon

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"


@tagged("post_install", "-at_install")
class TestComplaintOwner(SlaCommon):
    """One person in charge of a complaint: its owner (投诉负责人) is its
    assignee at every level; a manager hands it to someone else, who becomes
    its owner and takes over the to-dos; agents and leads cannot split them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint_manager = new_test_user(
            cls.env,
            login="hsa_owner_manager",
            name="HSA Owner Manager",
            groups=MANAGER_GROUP,
        )
        cls.other_manager = new_test_user(
            cls.env,
            login="hsa_owner_manager_2",
            name="HSA Owner Manager 2",
            groups=MANAGER_GROUP,
        )
        cls.company.complaint_manager_id = cls.complaint_manager

    def _complaint(self, **vals):
        return self._new_ticket(
            env=self.env(user=self.agent), request_type="complaint", **vals
        )

    def _todos(self, ticket):
        activity_type = ticket._complaint_activity_type()
        return ticket.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        )

    def test_owner_is_the_assignee_at_intake(self):
        ticket = self._complaint()
        self.assertEqual(ticket.complaint_owner_id, self.complaint_manager)
        self.assertEqual(ticket.user_id, self.complaint_manager)
        # the level's owner (the team lead at level 2) follows it
        self.assertIn(
            self.team_complaints.user_id.partner_id, ticket.message_partner_ids
        )
        self.assertEqual(self._todos(ticket).user_id, self.complaint_manager)
        # a request reclassified as a complaint gets its owner as assignee
        request = self._new_ticket(env=self.env(user=self.agent))
        self.assertNotEqual(request.user_id, self.complaint_manager)
        request.with_user(self.agent).request_type = "complaint"
        self.assertEqual(request.user_id, self.complaint_manager)

    def test_manager_changes_the_owner_and_the_assignee_follows(self):
        ticket = self._complaint()
        ticket.with_user(self.manager).complaint_owner_id = self.other_manager
        self.assertEqual(ticket.user_id, self.other_manager)
        self.assertEqual(self._todos(ticket).user_id, self.other_manager)
        self.assertIn(self.other_manager.partner_id, ticket.message_partner_ids)
        self.assertIn(self.complaint_manager.partner_id, ticket.message_partner_ids)

    def test_manager_assigns_and_the_owner_follows(self):
        ticket = self._complaint()
        ticket.with_user(self.manager).user_id = self.lead
        self.assertEqual(ticket.complaint_owner_id, self.lead)
        self.assertEqual(self._todos(ticket).user_id, self.lead)

    def test_agent_and_lead_cannot_split_owner_and_assignee(self):
        ticket = self._complaint()
        for user in (self.agent, self.lead):
            with self.assertRaisesRegex(UserError, "Only a customer service manager"):
                ticket.with_user(user).user_id = user
        self.assertEqual(ticket.user_id, self.complaint_manager)
        self.assertEqual(ticket.complaint_owner_id, self.complaint_manager)
        # other requests are assigned freely
        request = self._new_ticket(env=self.env(user=self.agent))
        request.with_user(self.agent).user_id = self.agent_2
        self.assertEqual(request.user_id, self.agent_2)

    def test_transfer_keeps_the_owner_in_charge(self):
        ticket = self._complaint()
        wizard = (
            self.env["helpdesk.ticket.transfer.wizard"]
            .with_user(self.agent)
            .create(
                {
                    "ticket_ids": ticket.ids,
                    "team_id": self.team_support.id,
                    "summary": "A complaint about the repair",
                }
            )
        )
        wizard.action_transfer()
        self.assertEqual(ticket.team_id, self.team_support)
        self.assertEqual(ticket.user_id, self.complaint_manager)

    def test_escalation_keeps_the_owner_as_assignee(self):
        ticket = self._complaint()
        ticket.with_user(self.complaint_manager).write({"complaint_result": "Sorry."})
        ticket.with_user(self.agent).action_complaint_not_satisfied()
        self.assertEqual(ticket.problem_level, "3")
        self.assertEqual(ticket.user_id, self.complaint_manager)
        self.assertEqual(ticket.complaint_owner_id, self.complaint_manager)
        # the level's owners follow it
        self.assertIn(self.emergency_user.partner_id, ticket.message_partner_ids)
