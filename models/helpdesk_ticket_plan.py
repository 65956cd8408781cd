# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The ticket's service plans: the smart button, a new plan from the ticket,
# and the acceptance form's deliverables taken from the confirmed plan.
from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    service_plan_ids = fields.Many2many(
        comodel_name="helpdesk.service.plan",
        string="Service Plans",
        compute="_compute_service_plan_ids",
    )
    service_plan_count = fields.Integer(compute="_compute_service_plan_ids")

    def _compute_service_plan_ids(self):
        """The plans the user may read that cover the tickets, in one search."""
        Plan = self.env["helpdesk.service.plan"]
        plans = Plan.browse()
        if self.ids and Plan.has_access("read"):
            plans = Plan.search([("ticket_ids", "in", self.ids)])
        for ticket in self:
            mine = plans.filtered(lambda plan, t=ticket: t in plan.ticket_ids)
            ticket.service_plan_ids = mine
            ticket.service_plan_count = len(mine)

    def action_create_service_plan(self):
        """A draft service plan for these tickets of one customer."""
        if not self:
            raise UserError(self.env._("Select the tickets the plan answers."))
        customer = self.commercial_partner_id
        if len(customer) != 1:
            raise UserError(
                self.env._(
                    "A service plan covers the tickets of one customer: select "
                    "tickets of one customer."
                )
            )
        plan = self.env["helpdesk.service.plan"].create(
            {
                "title": self[:1].name,
                "ticket_ids": [Command.set(self.ids)],
                "company_id": self[:1].company_id.id,
            }
        )
        return plan._get_form_action()

    def action_view_service_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_plan_action"
        )
        action["domain"] = [("id", "in", self.service_plan_ids.ids)]
        action["context"] = {"create": False}
        return action

    def _get_confirmed_service_plan(self):
        """The confirmed plan that covers these tickets: the latest confirmed
        revision (read as superuser: the acceptance lists what the customer
        confirmed, whoever prepares it)."""
        if not self:
            return self.env["helpdesk.service.plan"]
        plans = (
            self.env["helpdesk.service.plan"]
            .sudo()
            .search(
                Domain("ticket_ids", "in", self.ids)
                & Domain("state", "=", "confirmed"),
                order="confirm_date desc, revision desc, id desc",
            )
        )
        current = plans.filtered(lambda plan: plan.next_id.state != "confirmed")
        return current[:1]

    def _prepare_acceptance_line_values(self):
        """A confirmed service plan lists the deliverables: one line per
        deliverable with its description and the acceptance standard the
        customer confirmed."""
        plan = self._get_confirmed_service_plan()
        if not plan:
            return super()._prepare_acceptance_line_values()
        ticket = self[:1]
        return [
            {
                "sequence": 10 * (index + 1),
                "ticket_id": ticket.id,
                "deliverable": deliverable.name,
                "description": deliverable.description,
                "acceptance_standard": deliverable.acceptance_standard,
            }
            for index, deliverable in enumerate(plan.deliverable_ids)
        ]
