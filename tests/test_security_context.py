# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .sla_common import SlaCommon


@tagged("post_install", "-at_install")
class TestContextKeysFromRpc(SlaCommon):
    """The reason of an escalation comes from the server code that raises the
    level (the scheduled check, the wizard), never from the caller's context."""

    def test_forged_deadline_missed(self):
        ticket = self._new_ticket(user_id=self.agent.id)
        forged = ticket.with_user(self.agent).with_context(
            sla_escalation_info={ticket.id: ("resolution_breach", "2026-03-02 02:00")},
            sla_escalation_reason="resolution_breach",
            sla_missed_deadline="2026-03-02 02:00:00",
        )
        with self._at_local("2026-03-02 11:00"):
            forged.write({"problem_level": "2"})
        escalation = ticket.escalation_ids
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.reason, "regraded")
        self.assertFalse(escalation.missed_deadline)

    def test_real_breach_still_recorded(self):
        ticket = self._new_ticket(user_id=self.agent.id)
        self._check("2026-03-05 11:00")
        self.assertEqual(ticket.escalation_ids.reason, "resolution_breach")
        self.assertTrue(ticket.escalation_ids.missed_deadline)

    def test_wizard_reason_recorded(self):
        ticket = self._new_ticket(user_id=self.agent.id)
        wizard = (
            self.env["helpdesk.ticket.escalation.wizard"]
            .with_user(self.agent)
            .with_context(active_model="helpdesk.ticket", active_ids=ticket.ids)
            .create({"ticket_ids": ticket.ids, "to_level": "2", "reason": "Big one"})
        )
        with self._at_local("2026-03-02 11:00"):
            wizard.action_escalate()
        self.assertEqual(ticket.escalation_ids.reason, "manual")
        self.assertIn("Big one", ticket.escalation_ids.note)
