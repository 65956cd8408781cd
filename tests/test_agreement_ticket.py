# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import MODULE, ServiceCommon


@tagged("post_install", "-at_install")
class TestAgreementTicket(ServiceCommon):
    def test_ticket_links_the_active_agreement_of_the_company(self):
        agreement = self._create_agreement()
        with self._at("2026-05-10"):
            ticket = self._create_ticket()
        self.assertEqual(
            ticket.agreement_id, agreement, "through the contact's company"
        )
        self.assertFalse(ticket.agreement_missing)
        self.assertEqual(ticket.service_level_id.agreement_id, agreement)
        self.assertEqual(ticket.service_level_id.level, "1")
        self.assertEqual(agreement.ticket_count, 1)

    def test_ticket_outside_the_term_falls_back(self):
        self._create_agreement()
        with self._at("2027-02-01"):
            ticket = self._create_ticket()
        self.assertFalse(ticket.agreement_id)
        self.assertTrue(ticket.agreement_missing)
        default = self.env.ref(f"{MODULE}.agreement_template_default")
        self.assertEqual(self.company.default_service_agreement_id, default)
        self.assertEqual(ticket.service_level_id.agreement_id, default)

    def test_default_service_levels_setting(self):
        default = self.env.ref(f"{MODULE}.agreement_template_default")
        company = self.env["res.company"].create({"name": "HSA New Company"})
        self.assertEqual(company.default_service_agreement_id, default)
        template = self._create_agreement(
            activate=False, code="TPL", is_template=True, partner_id=False
        )
        settings = Form(self.env["res.config.settings"])
        settings.helpdesk_default_agreement_id = template
        settings.save().execute()
        self.assertEqual(self.company.default_service_agreement_id, template)
        with self._at("2027-02-01"):
            ticket = self._create_ticket()
        self.assertTrue(ticket.agreement_missing)
        self.assertEqual(ticket.service_level_id.agreement_id, template)

    def test_draft_agreement_does_not_apply(self):
        self._create_agreement(activate=False)
        with self._at("2026-05-10"):
            ticket = self._create_ticket()
        self.assertTrue(ticket.agreement_missing)

    def test_two_agreements_over_time(self):
        first = self._create_agreement(code="Y1")
        second = self._create_agreement(
            code="Y2", start_date="2027-01-01", end_date="2027-12-31"
        )
        with self._at("2026-12-31"):
            old = self._create_ticket()
        with self._at("2027-01-01"):
            new = self._create_ticket()
        self.assertEqual(old.agreement_id, first)
        self.assertEqual(new.agreement_id, second)

    def test_activation_links_waiting_tickets(self):
        agreement = self._create_agreement(activate=False)
        with self._at("2026-05-10"):
            ticket = self._create_ticket()
            self.assertTrue(ticket.agreement_missing)
            agreement.action_activate()
        self.assertEqual(ticket.agreement_id, agreement)

    def test_level_follows_the_problem_level(self):
        agreement = self._create_agreement()
        with self._at("2026-05-10"):
            ticket = self._create_ticket()
        ticket.problem_level = "3"
        self.assertEqual(ticket.service_level_id.level, "3")
        self.assertEqual(ticket.service_level_id.agreement_id, agreement)

    def test_another_customer_gets_nothing(self):
        self._create_agreement()
        other = self.env["res.partner"].create(
            {"name": "No contract", "is_company": True}
        )
        with self._at("2026-05-10"):
            ticket = self._create_ticket(partner_id=other.id)
        self.assertTrue(ticket.agreement_missing)

    def test_link_in_batch_with_flat_queries(self):
        self._create_agreement()
        partners = self.env["res.partner"].create(
            [{"name": f"P{i}", "is_company": True} for i in range(10)]
        )
        with self._at("2026-05-10"):
            tickets = self.env["helpdesk.ticket"].create(
                [
                    {"name": "t", "description": "x", "partner_id": p.id}
                    for p in partners | self.customer
                ]
            )
        self.assertEqual(len(tickets.agreement_id), 1)
        self.assertEqual(tickets.filtered("agreement_missing").partner_id, partners)
