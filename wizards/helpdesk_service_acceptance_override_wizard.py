# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskServiceAcceptanceOverrideWizard(models.TransientModel):
    """A customer service manager lets the customer accept deliverables
    whose work is not finished: the unfinished work and the reason are
    recorded on the acceptance form (requested from the tickets, or the
    draft being sent), which its PDF prints."""

    _name = "helpdesk.service.acceptance.override.wizard"
    _description = "Accept Unfinished Work"

    acceptance_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance",
        string="Acceptance Form",
        readonly=True,
        ondelete="cascade",
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="helpdesk_acceptance_override_wizard_ticket_rel",
        column1="wizard_id",
        column2="ticket_id",
        string="Tickets",
        readonly=True,
        help="The tickets whose acceptance is requested (no form yet).",
    )
    unfinished_work = fields.Text(compute="_compute_unfinished_work")
    reason = fields.Text(
        required=True,
        help="Why the customer may accept now: printed on the acceptance form.",
    )

    @api.depends("acceptance_id", "ticket_ids")
    def _compute_unfinished_work(self):
        for wizard in self:
            tickets = wizard.acceptance_id.ticket_ids or wizard.ticket_ids
            wizard.unfinished_work = "\n".join(tickets._get_unfinished_work())

    @api.model_create_multi
    def create(self, vals_list):
        self.env["helpdesk.service.acceptance"]._check_override_allowed()
        return super().create(vals_list)

    def action_confirm(self):
        """Record the override on the form (created from the tickets when
        acceptance is requested), then send a form that was being sent."""
        self.ensure_one()
        Acceptance = self.env["helpdesk.service.acceptance"]
        Acceptance._check_override_allowed()
        acceptance = self.acceptance_id
        if not acceptance:
            acceptance = self.ticket_ids._request_acceptance_with_override(self.reason)
            return acceptance._get_form_action()
        acceptance._record_override(self.reason)
        acceptance.action_send()
        return {"type": "ir.actions.act_window_close"}
