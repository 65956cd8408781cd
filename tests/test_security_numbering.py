# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestNumberingIntegrity(ServiceCommon):
    """Customer numbers: their company is the system's, a number typed by a
    manager never blocks the sequence, numbering is for service staff."""

    def test_agent_cannot_move_a_number_to_another_company(self):
        self.customer._assign_customer_code()
        other = self.env["res.company"].create({"name": "HSA Numbering Co 2"})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.agent).write(
                {"customer_code_company_id": other.id}
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.agent).create(
                {"name": "Forged", "customer_code_company_id": other.id}
            )
        self.assertEqual(self.customer.customer_code_company_id, self.env.company)

    def test_manual_number_equal_to_the_next_one(self):
        sequence = self.env["res.partner"]._get_customer_code_sequence(self.env.company)
        upcoming = sequence.get_next_char(sequence.number_next_actual)
        typed = self.env["res.partner"].create(
            {"name": "Typed by hand", "is_company": True}
        )
        typed.with_user(self.manager).customer_code = upcoming
        # the next customer's first ticket still goes through, with a free number
        ticket = self._create_ticket()
        self.assertTrue(ticket.id)
        self.assertTrue(self.customer.customer_code)
        self.assertNotEqual(self.customer.customer_code, upcoming)

    def test_plain_employee_cannot_number(self):
        employee = new_test_user(self.env, login="hsa_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.customer.with_user(employee).action_assign_customer_code()
        self.assertFalse(self.customer.customer_code)
        self.customer.with_user(self.agent).action_assign_customer_code()
        self.assertTrue(self.customer.customer_code)
