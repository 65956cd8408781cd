# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ServiceCommon

SYSTEM_VALUES = {
    "complaint_feedback": "satisfied",
    "complaint_feedback_date": "2026-03-02 10:00:00",
    "complaint_result_date": "2026-03-02 10:00:00",
    "complaint_reopen_count": 3,
}


@tagged("post_install", "-at_install")
class TestSecurityComplaint(ServiceCommon):
    """A pure Service Agent as the attacker of complaints, as over RPC
    (with_user): no feedback forged, no system field or owner written, no
    complaint closed outside its rules; portal users write nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_manager_id = cls.manager
        # taken in by the agent: a ticket the agent works on
        cls.complaint = cls._create_ticket(
            env=cls.env(user=cls.agent),
            name="Rude answer",
            request_type="complaint",
        )
        cls.portal_user = new_test_user(
            cls.env, login="hsa_complaint_sec_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def _snapshot(self, ticket):
        ticket.invalidate_recordset()
        return {
            fname: ticket[fname]
            for fname in (
                *SYSTEM_VALUES,
                "complaint_owner_id",
                "complaint_result",
                "stage_id",
                "problem_level",
            )
        }

    def test_agent_works_the_complaint(self):
        complaint = self.complaint.with_user(self.agent)
        complaint.write(
            {
                "complaint_steps": "<p>Called the customer back.</p>",
                "complaint_result": "We apologised and trained the agent.",
                "complaint_channel": "phone",
            }
        )
        self.assertTrue(complaint.complaint_result_date)
        complaint.action_complaint_satisfied()
        self.assertEqual(complaint.complaint_feedback, "satisfied")
        complaint.stage_id = self.stage_done
        self.assertTrue(complaint.closed)

    def test_agent_writes_no_system_field(self):
        before = self._snapshot(self.complaint)
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        for fname, value in SYSTEM_VALUES.items():
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    self.complaint.with_user(self.agent).write({fname: value})
                with self.assertRaises(AccessError):
                    Ticket.create(
                        {
                            "name": "Forged",
                            "description": "<p>x</p>",
                            "partner_id": self.contact.id,
                            "request_type": "complaint",
                            fname: value,
                        }
                    )
        self.assertEqual(self._snapshot(self.complaint), before)

    def test_only_managers_choose_the_owner(self):
        before = self._snapshot(self.complaint)
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.agent).complaint_owner_id = self.agent
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.lead).complaint_owner_id = self.lead
        with self.assertRaises(AccessError):
            self._create_ticket(
                env=self.env(user=self.agent),
                request_type="complaint",
                complaint_owner_id=self.agent.id,
            )
        self.assertEqual(self._snapshot(self.complaint), before)
        self.complaint.with_user(self.manager).complaint_owner_id = self.lead
        self.assertEqual(self.complaint.complaint_owner_id, self.lead)

    def test_agent_closes_no_complaint_outside_the_rules(self):
        complaint = self.complaint.with_user(self.agent)
        with self.assertRaises(UserError):
            complaint.stage_id = self.stage_done
        complaint.complaint_result = "A voucher."
        with self.assertRaises(UserError):
            complaint.stage_id = self.stage_done
        # nor by rewriting the result after the customer's feedback
        complaint.action_complaint_satisfied()
        with self.assertRaises(UserError):
            complaint.complaint_result = "Something else"
        self.assertEqual(self.complaint.complaint_result, "A voucher.")

    def test_agent_records_no_feedback_on_a_complaint_out_of_reach(self):
        other = self._create_ticket(
            name="Another team's complaint",
            request_type="complaint",
            complaint_result="Refund granted.",
        )
        before = self._snapshot(other)
        for action in ("action_complaint_satisfied", "action_complaint_not_satisfied"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(other.with_user(self.agent), action)()
        self.assertEqual(self._snapshot(other), before)

    def test_portal_user_writes_no_complaint_field(self):
        self.complaint.complaint_result = "Apology sent."
        before = self._snapshot(self.complaint)
        complaint = self.complaint.with_user(self.portal_user)
        for fname, value in {
            **SYSTEM_VALUES,
            "complaint_result": "I decide",
            "complaint_steps": "<p>x</p>",
            "complaint_channel": "portal",
            "complaint_owner_id": self.agent.id,
            "complained_user_id": self.agent.id,
        }.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                complaint.write({fname: value})
        for action in ("action_complaint_satisfied", "action_complaint_not_satisfied"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(complaint, action)()
        self.assertEqual(self._snapshot(self.complaint), before)
