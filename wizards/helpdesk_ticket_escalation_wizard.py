# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.helpdesk_ticket import PROBLEM_LEVELS
from ..models.system_fields import system_write


class HelpdeskTicketEscalationWizard(models.TransientModel):
    """Manual escalation (or, for team leads and managers, lowering) of the
    problem level of tickets, with the reason on the record."""

    _name = "helpdesk.ticket.escalation.wizard"
    _description = "Escalate Tickets"

    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket", string="Tickets", required=True
    )
    current_level = fields.Selection(
        selection=PROBLEM_LEVELS, compute="_compute_current_level"
    )
    to_level = fields.Selection(
        selection=PROBLEM_LEVELS,
        string="New Level",
        required=True,
        compute="_compute_to_level",
        store=True,
        readonly=False,
        help="One level up by default. Only team leads and customer service "
        "managers may choose a lower level.",
    )
    reason = fields.Text(
        required=True,
        help="Why the level changes: it goes into the escalation record and the "
        "ticket's chatter.",
    )

    @api.depends("ticket_ids.problem_level")
    def _compute_current_level(self):
        for wizard in self:
            wizard.current_level = max(
                wizard.ticket_ids.mapped("problem_level"), default=False
            )

    @api.depends("ticket_ids.problem_level")
    def _compute_to_level(self):
        for wizard in self:
            level = min(wizard.ticket_ids.mapped("problem_level"), default="1")
            wizard.to_level = str(min(int(level) + 1, 3))

    def action_escalate(self):
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the change of level."))
        same = self.ticket_ids.filtered(
            lambda ticket: ticket.problem_level == self.to_level
        )
        if same and self.to_level == "3":
            raise UserError(
                self.env._(
                    "%(tickets)s: already at level 3, the highest level; it "
                    "cannot be escalated further.",
                    tickets=", ".join(same.mapped("display_name")),
                )
            )
        if same:
            raise UserError(
                self.env._(
                    "%(tickets)s: already at this level.",
                    tickets=", ".join(same.mapped("display_name")),
                )
            )
        lowered = self.ticket_ids.filtered(
            lambda ticket: ticket.problem_level > self.to_level
        )
        if lowered and not self.env.user.has_group(
            "helpdesk_service_agreement.group_service_team_lead"
        ):
            raise AccessError(
                self.env._(
                    "Only team leads and customer service managers may lower a "
                    "problem level."
                )
            )
        with system_write(sla_escalation_reason="manual", sla_escalation_note=reason):
            self.ticket_ids.write({"problem_level": self.to_level})
        return {"type": "ir.actions.act_window_close"}
