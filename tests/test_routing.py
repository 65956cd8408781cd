# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestRouting(ServiceCommon):
    def test_request_type_routes_to_team(self):
        ticket = self._create_ticket(request_type="pre_sale")
        self.assertEqual(ticket.team_id, self.team_sales)
        ticket = self._create_ticket(request_type="complaint")
        self.assertEqual(ticket.team_id, self.team_complaints)

    def test_default_request_type_is_after_sale(self):
        ticket = self._create_ticket()
        self.assertEqual(ticket.request_type, "after_sale")
        self.assertEqual(ticket.team_id, self.team_support)

    def test_category_rule_wins_over_type_rule(self):
        self.env["helpdesk.ticket.routing"].create(
            {
                "request_type": "after_sale",
                "category_id": self.category_hw.id,
                "team_id": self.team_sales.id,
                "sequence": 99,
            }
        )
        ticket = self._create_ticket(category_id=self.category_hw.id)
        self.assertEqual(ticket.team_id, self.team_sales)
        other_category = self.env["helpdesk.ticket.category"].create({"name": "Soft"})
        ticket = self._create_ticket(category_id=other_category.id)
        self.assertEqual(
            ticket.team_id, self.team_support, "falls back to the type rule"
        )

    def test_explicit_team_wins(self):
        ticket = self._create_ticket(
            request_type="pre_sale", team_id=self.team_complaints.id
        )
        self.assertEqual(ticket.team_id, self.team_complaints)
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(default_team_id=self.team_complaints.id)
            .create({"name": "x", "description": "y", "request_type": "pre_sale"})
        )
        self.assertEqual(ticket.team_id, self.team_complaints)

    def test_no_rule_leaves_team_empty(self):
        ticket = self._create_ticket(request_type="in_sale")
        self.assertFalse(ticket.team_id)
        self.assertFalse(ticket.transfer_ids, "routing at intake is no transfer")

    def test_batch_routing_one_search(self):
        vals = [
            {"name": f"t{i}", "description": "x", "request_type": rtype}
            for i, rtype in enumerate(
                ["pre_sale", "after_sale", "complaint", "in_sale"] * 5
            )
        ]
        tickets = self.env["helpdesk.ticket"].create(vals)
        self.assertEqual(
            tickets.mapped("team_id"),
            self.team_sales | self.team_support | self.team_complaints,
        )
        self.assertEqual(
            len(tickets.filtered(lambda t: t.team_id == self.team_sales)), 5
        )

    def test_rules_of_another_company_ignored(self):
        company_b = self.env["res.company"].create({"name": "HSA Company B"})
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "B team", "company_id": company_b.id}
        )
        self.env["helpdesk.ticket.routing"].create(
            {
                "request_type": "in_sale",
                "team_id": team_b.id,
                "company_id": company_b.id,
            }
        )
        ticket = self._create_ticket(request_type="in_sale")
        self.assertFalse(ticket.team_id)
        ticket_b = self._create_ticket(request_type="in_sale", company_id=company_b.id)
        self.assertEqual(ticket_b.team_id, team_b)

    def test_archived_team_is_refused_and_skipped(self):
        archived = self.env["helpdesk.ticket.team"].create(
            {"name": "Old team", "active": False}
        )
        with (
            self.assertRaisesRegex(ValidationError, "archived team"),
            self.env.cr.savepoint(),
        ):
            self.env["helpdesk.ticket.routing"].create(
                {"request_type": "in_sale", "team_id": archived.id}
            )
        self.assertFalse(
            self.env["helpdesk.ticket.routing"].search([("team_id", "=", archived.id)])
        )
        # a team archived after its rule was written is not routed to
        self.team_sales.active = False
        ticket = self._create_ticket(request_type="pre_sale")
        self.assertFalse(ticket.team_id)

    def test_duplicate_rule_refused(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["helpdesk.ticket.routing"].create(
                {"request_type": "pre_sale", "team_id": self.team_support.id}
            )
            self.env.flush_all()

    def test_request_type_outside_the_list(self):
        count = self.env["helpdesk.ticket"].search_count([])
        with self.assertRaisesRegex(ValidationError, "not a valid Request Type"):
            self._create_ticket(request_type="warranty")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        ticket = self._create_ticket()
        with self.assertRaisesRegex(ValidationError, "not a valid Request Type"):
            ticket.write({"request_type": "warranty", "name": "changed"})
        self.assertEqual(ticket.name, "Printer down", "nothing half-written")

    def test_request_type_error_in_user_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_service_agreement"], ["zh_CN"], overwrite=True
        )
        with self.assertRaises(ValidationError) as catcher:
            self._create_ticket(
                env=self.env(context={"lang": "zh_CN"}), request_type="x"
            )
        self.assertNotIn("is not a valid", str(catcher.exception))
