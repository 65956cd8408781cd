# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestCustomerCode(ServiceCommon):
    def test_first_ticket_numbers_the_company_not_the_contact(self):
        self.assertFalse(self.customer.customer_code)
        self._create_ticket(env=self.env(user=self.agent))
        self.assertTrue(self.customer.customer_code)
        self.assertEqual(self.customer.customer_code_company_id, self.company)
        self.assertFalse(self.contact.customer_code)
        self.assertEqual(
            self.contact.commercial_customer_code, self.customer.customer_code
        )

    def test_sequence_gives_distinct_numbers_and_keeps_existing(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        (self.customer | other)._assign_customer_code()
        self.assertTrue(self.customer.customer_code)
        self.assertTrue(other.customer_code)
        self.assertNotEqual(self.customer.customer_code, other.customer_code)
        code = self.customer.customer_code
        self._create_ticket()
        self.customer._assign_customer_code()
        self.assertEqual(
            self.customer.customer_code, code, "a number never changes by itself"
        )

    def test_each_company_has_its_own_sequence(self):
        company_b = self.env["res.company"].create({"name": "HSA Company B"})
        partner_b = self.env["res.partner"].create(
            {"name": "B customer", "is_company": True, "company_id": company_b.id}
        )
        partner_b._assign_customer_code()
        self.assertEqual(partner_b.customer_code_company_id, company_b)
        sequences = self.env["ir.sequence"].search(
            [
                ("code", "=", "res.partner.customer.code"),
                ("company_id", "=", company_b.id),
            ]
        )
        self.assertEqual(len(sequences), 1)

    def test_unique_per_company(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        self.customer.with_user(self.manager).customer_code = "C-0001"
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            other.with_user(self.manager).customer_code = "C-0001"
            other.flush_recordset()
        self.assertFalse(other.customer_code)
        # the same number in another company is allowed
        company_b = self.env["res.company"].create({"name": "HSA Company B"})
        partner_b = self.env["res.partner"].create(
            {"name": "B customer", "is_company": True, "company_id": company_b.id}
        )
        partner_b.customer_code = "C-0001"
        partner_b.flush_recordset()
        self.assertEqual(partner_b.customer_code, "C-0001")

    def test_duplicate_message_is_translated_and_clear(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        self.customer.customer_code = "C-0002"
        self.env.flush_all()
        with (
            self.assertRaises(IntegrityError) as catcher,
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            other.customer_code = "C-0002"
            other.flush_recordset()
        message = self.env["res.partner"]._sql_error_to_message(catcher.exception)
        self.assertIn("customer number is already used", message)

    def test_only_managers_change_the_number(self):
        self.customer._assign_customer_code()
        code = self.customer.customer_code
        for user in (self.agent, self.lead, self.archivist):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"customer_code": "HACK-1"})
            self.assertEqual(self.customer.customer_code, code)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.agent).create(
                {"name": "Sneaky", "is_company": True, "customer_code": "HACK-2"}
            )
        self.customer.with_user(self.manager).write({"customer_code": " C-9 "})
        self.assertEqual(self.customer.customer_code, "C-9", "blanks are trimmed")

    def test_agent_may_number_on_demand(self):
        self.customer.with_user(self.agent).action_assign_customer_code()
        self.assertTrue(self.customer.customer_code)

    def test_form_field_readonly_for_agents(self):
        self.customer._assign_customer_code()
        form = Form(self.customer.with_user(self.agent))
        with self.assertRaises(AssertionError):
            form.customer_code = "X"
        form = Form(self.customer.with_user(self.manager))
        form.customer_code = "C-MAN-1"
        form.save()
        self.assertEqual(self.customer.customer_code, "C-MAN-1")

    def test_tier_is_a_commercial_field(self):
        self.assertEqual(self.contact.customer_tier, "large")
        self.customer.customer_tier = "small"
        self.assertEqual(self.contact.customer_tier, "small")

    def test_counters_and_actions(self):
        self._create_ticket()
        self._create_ticket(partner_id=self.customer.id)
        self.env["helpdesk.ticket"].create(
            {
                "name": "elsewhere",
                "description": "x",
                "partner_id": self.agent.partner_id.id,
            }
        )
        for partner in (self.customer, self.contact):
            partner.invalidate_recordset(["service_ticket_count"])
            self.assertEqual(partner.service_ticket_count, 2)
        action = self.contact.action_view_service_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search_count(action["domain"]), 2)
        self.assertEqual(self.customer.service_agreement_count, 0)
        action = self.customer.action_view_service_agreements()
        self.assertEqual(action["res_model"], "agreement")

    def test_ticket_counter_query_count_is_flat(self):
        partners = self.env["res.partner"].create(
            [{"name": f"P{i}", "is_company": True} for i in range(20)]
        )
        self.env["helpdesk.ticket"].create(
            [{"name": "t", "description": "x", "partner_id": p.id} for p in partners]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            partners[:1].mapped("service_ticket_count")
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            partners.mapped("service_ticket_count")
