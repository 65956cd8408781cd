# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import MODULE, ServiceCommon


@tagged("post_install", "-at_install")
class TestTransfer(ServiceCommon):
    def _wizard(self, tickets, user):
        action = tickets.with_user(user).action_open_transfer_wizard()
        return Form.from_action(self.env(user=user), action)

    def test_team_change_logs_exactly_one_row(self):
        ticket = self._create_ticket()
        self.assertEqual(ticket.team_id, self.team_support)
        ticket.team_id = self.team_sales
        self.assertEqual(len(ticket.transfer_ids), 1)
        transfer = ticket.transfer_ids
        self.assertEqual(transfer.from_team_id, self.team_support)
        self.assertEqual(transfer.to_team_id, self.team_sales)
        self.assertEqual(transfer.user_id, self.env.user)
        # writing the same team again is no transfer
        ticket.team_id = self.team_sales
        ticket.name = "other write"
        self.assertEqual(len(ticket.transfer_ids), 1)
        self.assertEqual(ticket.transfer_count, 1)

    def test_wizard_transfer_with_summary(self):
        ticket = self._create_ticket()
        with self._wizard(ticket, self.agent) as wizard:
            wizard.team_id = self.team_sales
            wizard.user_id = self.agent_2
            wizard.summary = "Customer wants an upgrade quote."
        wizard.record.action_transfer()
        self.assertEqual(ticket.team_id, self.team_sales)
        self.assertEqual(ticket.user_id, self.agent_2)
        self.assertEqual(len(ticket.transfer_ids), 1)
        self.assertEqual(
            ticket.transfer_ids.summary, "Customer wants an upgrade quote."
        )
        self.assertEqual(ticket.transfer_ids.user_id, self.agent)
        last = ticket.message_ids[:1]
        self.assertIn("HSA Sales", last.body)
        self.assertIn("upgrade quote", last.body)

    def test_wizard_requires_summary(self):
        ticket = self._create_ticket()
        wizard = self._wizard(ticket, self.agent)
        wizard.team_id = self.team_sales
        with self.assertRaises(AssertionError):
            wizard.save()
        record = self.env["helpdesk.ticket.transfer.wizard"].create(
            {
                "ticket_ids": [(6, 0, ticket.ids)],
                "team_id": self.team_sales.id,
                "summary": "  ",
            }
        )
        with self.assertRaisesRegex(UserError, "hand-over summary"):
            record.action_transfer()
        self.assertEqual(ticket.team_id, self.team_support)
        self.assertFalse(ticket.transfer_ids)

    def test_transfer_to_same_team_refused(self):
        ticket = self._create_ticket()
        record = self.env["helpdesk.ticket.transfer.wizard"].create(
            {
                "ticket_ids": [(6, 0, ticket.ids)],
                "team_id": self.team_support.id,
                "summary": "s",
            }
        )
        with self.assertRaisesRegex(UserError, "already in team"):
            record.action_transfer()
        self.assertFalse(ticket.transfer_ids)

    def test_assignee_must_belong_to_team(self):
        ticket = self._create_ticket()
        record = self.env["helpdesk.ticket.transfer.wizard"].create(
            {
                "ticket_ids": [(6, 0, ticket.ids)],
                "team_id": self.team_sales.id,
                "user_id": self.manager.id,
                "summary": "s",
            }
        )
        with self.assertRaisesRegex(UserError, "not a member"):
            record.action_transfer()
        self.assertEqual(ticket.team_id, self.team_support)

    def test_batch_transfer(self):
        tickets = self._create_ticket() | self._create_ticket(request_type="complaint")
        # the list's action passes the selected tickets
        action = self.env.ref(f"{MODULE}.helpdesk_ticket_transfer_wizard_action")
        self.assertIn("default_ticket_ids", action.context)
        record = (
            self.env["helpdesk.ticket.transfer.wizard"]
            .with_context(default_ticket_ids=tickets.ids)
            .create({"team_id": self.team_sales.id, "summary": "all to sales"})
        )
        self.assertEqual(record.ticket_ids, tickets)
        record.action_transfer()
        self.assertEqual(tickets.team_id, self.team_sales)
        self.assertEqual(len(tickets.transfer_ids), 2)
        self.assertEqual(
            tickets.transfer_ids.from_team_id, self.team_support | self.team_complaints
        )

    def test_log_is_read_only_for_users(self):
        ticket = self._create_ticket()
        ticket.with_user(self.agent).team_id = self.team_sales
        transfer = ticket.transfer_ids.with_user(self.agent)
        self.assertEqual(transfer.to_team_id, self.team_sales)
        self.assertFalse(transfer.has_access("write"))
        self.assertFalse(transfer.has_access("unlink"))
        self.assertFalse(
            self.env["helpdesk.ticket.transfer"]
            .with_user(self.manager)
            .has_access("write")
        )
