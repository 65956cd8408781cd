# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestIntakeAccess(ServiceCommon):
    def test_agent_reads_but_cannot_edit_routing(self):
        Routing = self.env["helpdesk.ticket.routing"].with_user(self.agent)
        self.assertTrue(Routing.search([]))
        with self.assertRaises(AccessError):
            Routing.create({"request_type": "in_sale", "team_id": self.team_sales.id})
        with self.assertRaises(AccessError):
            self.route_pre_sale.with_user(self.agent).team_id = self.team_support
        with self.assertRaises(AccessError):
            self.route_pre_sale.with_user(self.lead).unlink()
        rule = (
            self.env["helpdesk.ticket.routing"]
            .with_user(self.manager)
            .create({"request_type": "in_sale", "team_id": self.team_sales.id})
        )
        self.assertTrue(rule)

    def test_agent_takes_in_a_request(self):
        ticket = self._create_ticket(
            env=self.env(user=self.agent), request_type="complaint"
        )
        self.assertEqual(ticket.request_type, "complaint")
        self.assertEqual(ticket.team_id, self.team_complaints)

    def test_groups_chain(self):
        self.assertTrue(self.manager.has_group("helpdesk_mgmt.group_helpdesk_manager"))
        self.assertTrue(self.manager.has_group("agreement.group_agreement_manager"))
        self.assertTrue(self.lead.has_group("helpdesk_mgmt.group_helpdesk_user"))
        self.assertTrue(
            self.lead.has_group("helpdesk_service_agreement.group_service_agent")
        )
        self.assertFalse(self.agent.has_group("helpdesk_mgmt.group_helpdesk_user"))
        self.assertFalse(
            self.agent.has_group("helpdesk_service_agreement.group_service_team_lead")
        )
        self.assertFalse(
            self.archivist.has_group("helpdesk_service_agreement.group_service_agent")
        )

    def test_other_company_records_invisible(self):
        company_b = self.env["res.company"].create({"name": "HSA Company B"})
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "B team", "company_id": company_b.id}
        )
        rule_b = self.env["helpdesk.ticket.routing"].create(
            {
                "request_type": "in_sale",
                "team_id": team_b.id,
                "company_id": company_b.id,
            }
        )
        ticket_b = self._create_ticket(team_id=team_b.id, company_id=company_b.id)
        team_b2 = self.env["helpdesk.ticket.team"].create(
            {"name": "B team 2", "company_id": company_b.id}
        )
        ticket_b.team_id = team_b2
        transfer_b = ticket_b.transfer_ids
        self.assertTrue(transfer_b)
        manager = self.manager.with_company(self.company)
        self.assertFalse(
            self.env["helpdesk.ticket.routing"]
            .with_user(manager)
            .search([("id", "=", rule_b.id)])
        )
        self.assertFalse(
            self.env["helpdesk.ticket.transfer"]
            .with_user(manager)
            .search([("id", "=", transfer_b.id)])
        )
        with self.assertRaises(AccessError):
            rule_b.with_user(manager).read(["team_id"])
