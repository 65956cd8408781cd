# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketTransferWizard(models.TransientModel):
    _name = "helpdesk.ticket.transfer.wizard"
    _description = "Transfer Tickets to Another Team"

    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket", string="Tickets", required=True
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="To Team",
        required=True,
        domain="[('id', 'not in', current_team_ids)]",
    )
    current_team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team", compute="_compute_current_team_ids"
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assign To",
        domain="[('id', 'in', team_user_ids)]",
        help="Member of the receiving team who takes the request over.",
    )
    team_user_ids = fields.Many2many(related="team_id.user_ids")
    summary = fields.Text(
        string="Hand-over Summary",
        required=True,
        help="What the receiving team needs to know to carry on the request.",
    )

    @api.depends("ticket_ids")
    def _compute_current_team_ids(self):
        for wizard in self:
            wizard.current_team_ids = wizard.ticket_ids.team_id

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.user_id and self.user_id not in self.team_id.user_ids:
            self.user_id = False

    def action_transfer(self):
        self.ensure_one()
        summary = (self.summary or "").strip()
        if not summary:
            raise UserError(
                self.env._("Write a hand-over summary for the receiving team.")
            )
        same = self.ticket_ids.filtered(lambda t: t.team_id == self.team_id)
        if same:
            raise UserError(
                self.env._(
                    "Ticket %(tickets)s is already in team %(team)s: "
                    "choose another team.",
                    tickets=", ".join(same.mapped("number")),
                    team=self.team_id.name,
                )
            )
        if self.user_id and self.user_id not in self.team_id.user_ids:
            raise UserError(
                self.env._(
                    "%(user)s is not a member of team %(team)s.",
                    user=self.user_id.name,
                    team=self.team_id.name,
                )
            )
        # the receiving team takes the ticket over: the assignee chosen
        # here, else nobody until the team picks it up
        vals = {"team_id": self.team_id.id, "user_id": self.user_id.id or False}
        self.ticket_ids.with_context(transfer_summary=summary).write(vals)
        return {"type": "ir.actions.act_window_close"}
