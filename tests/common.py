# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

MODULE = "helpdesk_service_agreement"


class ServiceCommon(TransactionCase):
    """Shared fixtures: one user per role of the standard, two teams with a
    lead, a customer company with a contact, a routing table."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        # the creator-takes-the-ticket default would hide routing in most tests
        cls.company.helpdesk_mgmt_ticket_auto_assign = False
        cls.agent = new_test_user(
            cls.env, login="hsa_agent", groups=f"{MODULE}.group_service_agent"
        )
        cls.agent_2 = new_test_user(
            cls.env, login="hsa_agent_2", groups=f"{MODULE}.group_service_agent"
        )
        cls.lead = new_test_user(
            cls.env, login="hsa_lead", groups=f"{MODULE}.group_service_team_lead"
        )
        cls.manager = new_test_user(
            cls.env, login="hsa_manager", groups=f"{MODULE}.group_service_manager"
        )
        cls.archivist = new_test_user(
            cls.env, login="hsa_archivist", groups=f"{MODULE}.group_service_archivist"
        )
        Team = cls.env["helpdesk.ticket.team"]
        cls.team_support = Team.create(
            {
                "name": "HSA Support",
                "user_id": cls.lead.id,
                "user_ids": [(6, 0, [cls.agent.id, cls.lead.id])],
            }
        )
        cls.team_sales = Team.create(
            {
                "name": "HSA Sales",
                "user_id": cls.lead.id,
                "user_ids": [(6, 0, [cls.agent_2.id, cls.lead.id])],
            }
        )
        cls.team_complaints = Team.create(
            {
                "name": "HSA Complaints",
                "user_id": cls.manager.id,
                "user_ids": [(6, 0, [cls.lead.id, cls.manager.id])],
            }
        )
        cls.category_hw = cls.env["helpdesk.ticket.category"].create(
            {"name": "HSA Hardware"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "HSA Customer Ltd", "is_company": True, "customer_tier": "large"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "HSA Contact", "parent_id": cls.customer.id}
        )
        # only the rules of this test: demo data may hold others
        cls.env["helpdesk.ticket.routing"].search([]).action_archive()
        cls.env.flush_all()
        Routing = cls.env["helpdesk.ticket.routing"]
        cls.route_after_sale = Routing.create(
            {"request_type": "after_sale", "team_id": cls.team_support.id}
        )
        cls.route_pre_sale = Routing.create(
            {"request_type": "pre_sale", "team_id": cls.team_sales.id}
        )
        cls.route_complaint = Routing.create(
            {"request_type": "complaint", "team_id": cls.team_complaints.id}
        )

    @contextmanager
    def _at(self, when):
        """Freeze the time, the transaction's time (cr.now()) included."""
        moment = fields.Datetime.to_datetime(when)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def _run_cron(self, xmlid):
        """Run a scheduled action as the scheduler does, inside the test's
        transaction."""
        with self.enter_registry_test_mode():
            self.env.ref(xmlid).method_direct_trigger()

    @classmethod
    def _create_agreement(cls, env=None, activate=True, **vals):
        env = env or cls.env
        values = {
            "name": "HSA Service Agreement",
            "code": f"HSA-{len(env['agreement'].search([]))}",
            "partner_id": cls.customer.id,
            "template_id": env.ref(f"{MODULE}.agreement_template_default").id,
            "signature_date": "2025-12-15",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            # closing tickets is tested without the acceptance gate
            "acceptance_required": False,
        }
        values.update(vals)
        agreement = env["agreement"].create(values)
        # the standard template names no emergency team: the manager owns
        # level 3, as activation requires
        agreement.service_level_ids.filtered(
            lambda level: (
                level.owner_type == "emergency_team"
                and not level.owner_team_id
                and not level.owner_user_ids
            )
        ).owner_user_ids = cls.manager
        if activate:
            agreement.action_activate()
        return agreement

    @classmethod
    def _create_ticket(cls, env=None, **vals):
        env = env or cls.env
        values = {
            "name": "Printer down",
            "description": "<p>It does not print.</p>",
            "partner_id": cls.contact.id,
        }
        values.update(vals)
        return env["helpdesk.ticket"].create(values)
