# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTransfer(models.Model):
    """Transfer record (需求转接记录): one row for every change of team."""

    _name = "helpdesk.ticket.transfer"
    _description = "Ticket Transfer Record"
    _order = "date desc, id desc"
    _check_company_auto = True

    _teams_differ = models.Constraint(
        "CHECK(from_team_id IS NULL OR from_team_id != to_team_id)",
        lambda env, diag: env._("A ticket cannot be transferred to the team it is in."),
    )

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    from_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", ondelete="set null"
    )
    to_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        required=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Transferred By",
        required=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    summary = fields.Text(
        string="Hand-over Summary",
        help="What the receiving team needs to know to carry on the request.",
    )
