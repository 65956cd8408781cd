# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .sla_common import SlaCommon

# stored columns the SLA clocks, escalation and transfers set, and a value an
# agent would like them to hold
FORGED = {
    "sla_next_check": "2099-01-01 00:00:00",
    "sla_state": "met",
    "sla_breached": True,
    "response_deadline": "2099-01-01 00:00:00",
    "resolution_deadline": "2099-01-01 00:00:00",
    "next_update_deadline": "2099-01-01 00:00:00",
    "first_response_date": "2026-03-02 02:00:00",
    "agreement_missing": True,
}


@tagged("post_install", "-at_install")
class TestSlaSystemFields(SlaCommon):
    """A pure service agent over RPC cannot move their own ticket's clock."""

    def setUp(self):
        super().setUp()
        self.ticket = self._new_ticket(user_id=self.agent.id)
        self.as_agent = self.ticket.with_user(self.agent)

    def test_agent_cannot_write_the_clock(self):
        values = dict(FORGED, service_level_id=self.ticket.service_level_id.id)
        before = self.ticket.read(list(values))[0]
        for fname, value in values.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self.as_agent.write({fname: value})
        # alongside an allowed field, nothing is written either
        with self.assertRaises(AccessError):
            self.as_agent.write({"name": "Renamed", "sla_next_check": "2099-01-01"})
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.read(list(values))[0], before)
        self.assertEqual(self.ticket.name, "Printer down")

    def test_overdue_ticket_still_escalates(self):
        with self.assertRaises(AccessError):
            self.as_agent.write({"sla_next_check": "2099-01-01"})
        # the resolution target of level 1 is 24 working hours: three days on
        self._check("2026-03-05 11:00")
        self.assertEqual(self.ticket.problem_level, "2")

    def test_agent_cannot_create_a_ticket_with_a_clock(self):
        for fname, value in FORGED.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self._create_ticket(env=self.env(user=self.agent), **{fname: value})

    def test_agent_cannot_write_phases_through_the_ticket(self):
        phase = self.ticket.sla_phase_id
        self.assertTrue(phase)
        with self.assertRaises(AccessError):
            self.as_agent.write(
                {"sla_phase_ids": [(1, phase.id, {"next_check": "2099-01-01"})]}
            )
        with self.assertRaises(AccessError):
            phase.with_user(self.agent).write({"next_check": "2099-01-01"})

    def test_agent_still_works_the_ticket(self):
        # what the form lets an agent change still goes through
        self.as_agent.write({"name": "Printer on floor 2 down", "priority": "2"})
        self.as_agent.message_post(
            body="We are on it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(self.ticket.first_response_date)
