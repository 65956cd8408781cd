# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import tagged

from .common import ServiceCommon

SEQUENCE = "res.partner.customer.code"
HOUSE_FORMAT = re.compile(r"C\d{4}-\d{5}")


@tagged("post_install", "-at_install")
class TestCustomerCodeFormat(ServiceCommon):
    """One customer number format per company: C2026-00001, as the demo
    and the addon's other numbers; a company numbering C202600001 switches
    at the upgrade unless all its numbers are of that format; numbers given
    never change."""

    def _company(self, name):
        return self.env["res.company"].create({"name": name})

    def _customer(self, company, code=False):
        partner = self.env["res.partner"].create(
            {"name": f"{company.name} customer", "is_company": True}
        )
        partner.company_id = company
        if code:
            # typed by a manager: the number belongs to the partner's company
            partner.customer_code = code
        return partner

    def _sequence(self, company):
        return self.env["res.partner"]._get_customer_code_sequence(company)

    def test_new_numbers_in_the_house_format_skip_those_taken(self):
        # the shipped template as installed, or as the upgrade aligns it
        self.env["res.partner"]._customer_code_align_sequences()
        company = self._company("HSA Format Co")
        first = self._customer(company)
        first._assign_customer_code()
        self.assertRegex(first.customer_code, HOUSE_FORMAT)
        # a number typed by hand (the demo's C2026-00002) is skipped
        year, number = first.customer_code[1:5], int(first.customer_code[6:])
        taken = f"C{year}-{number + 1:05d}"
        self._customer(company, taken)
        second = self._customer(company)
        second._assign_customer_code()
        self.assertEqual(second.customer_code, f"C{year}-{number + 2:05d}")

    def test_upgrade_aligns_the_sequences_of_a_company(self):
        Partner = self.env["res.partner"]
        fresh, mixed, legacy = (
            self._company(name) for name in ("HSA Fresh", "HSA Mixed", "HSA Legacy")
        )
        for company in (fresh, mixed, legacy):
            self._sequence(company).prefix = "C%(year)s"
        self._customer(mixed, "C2026-00001")
        self._customer(mixed, "C202600001")
        self._customer(legacy, "C202600001")
        switched = Partner._customer_code_align_sequences()
        self.assertIn(self._sequence(fresh), switched)
        self.assertEqual(self._sequence(fresh).prefix, "C%(year)s-")
        self.assertEqual(self._sequence(mixed).prefix, "C%(year)s-")
        self.assertEqual(
            self._sequence(legacy).prefix, "C%(year)s", "its one format is kept"
        )
        # numbers already given never change
        self.assertEqual(
            Partner.search([("customer_code_company_id", "=", mixed.id)])
            .mapped("customer_code")
            .count("C202600001"),
            1,
        )
        # the shipped template numbers new companies in the house format
        template = self.env.ref("helpdesk_service_agreement.ir_sequence_customer_code")
        self.assertEqual(template.prefix, "C%(year)s-")
