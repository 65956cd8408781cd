# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestTicketAgreementDomain(ServiceCommon):
    """A ticket follows a signed agreement of its own customer and company:
    the field's domain, enforced for RPC as well."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._create_agreement()
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "HSA Other Customer", "is_company": True}
        )
        cls.other_agreement = cls._create_agreement(
            partner_id=cls.other_customer.id, code="HSA-OTHER"
        )
        cls.draft = cls._create_agreement(activate=False, code="HSA-DRAFT")
        cls.template = cls.env.ref(
            "helpdesk_service_agreement.agreement_template_default"
        )
        cls.company_b = cls.env["res.company"].create({"name": "HSA Company B"})
        cls.agreement_b = cls._create_agreement(
            code="HSA-B",
            company_id=cls.company_b.id,
            template_id=False,
            resource_calendar_id=cls.company_b.resource_calendar_id.id,
            service_level_ids=cls.env["agreement"]._default_service_level_commands(),
        )

    def test_ticket_refuses_foreign_agreements(self):
        ticket = self._create_ticket(user_id=self.agent.id)
        self.assertEqual(ticket.agreement_id, self.agreement)
        as_agent = ticket.with_user(self.agent)
        for agreement in (
            self.other_agreement,
            self.draft,
            self.template,
            self.agreement_b,
        ):
            with self.subTest(agreement=agreement.code):
                with self.assertRaises(ValidationError):
                    as_agent.sudo().write({"agreement_id": agreement.id})
                # the agent over RPC: refused as well (by the constraint or
                # by the rules on agreements they may not read)
                with self.assertRaises(Exception) as caught:
                    as_agent.write({"agreement_id": agreement.id})
                self.assertIsInstance(caught.exception, (ValidationError, AccessError))
                with self.assertRaises(ValidationError):
                    self._create_ticket(agreement_id=agreement.id)
        self.assertEqual(ticket.agreement_id, self.agreement)

    def test_ticket_keeps_its_own_agreement(self):
        ticket = self._create_ticket(agreement_id=self.agreement.id)
        self.assertEqual(ticket.agreement_id, self.agreement)
