# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketSlaPause(models.Model):
    """A time the ticket waited on the customer in a stage that pauses the
    clocks: the deadlines of its phase moved by the working hours paused."""

    _name = "helpdesk.ticket.sla.pause"
    _description = "Ticket SLA Pause"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        lambda env, diag: env._("A pause cannot end before it starts."),
    )

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    phase_id = fields.Many2one(
        comodel_name="helpdesk.ticket.sla.phase",
        string="SLA Phase",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    level = fields.Selection(related="phase_id.level")
    date_start = fields.Datetime(string="Start", required=True, readonly=True)
    date_end = fields.Datetime(string="End", readonly=True)
    paused_hours = fields.Float(
        string="Working Hours Paused",
        readonly=True,
        aggregator="sum",
        help="Working hours of the calendar between the start and the end of "
        "the pause: the deadlines moved by this much.",
    )
    stage_id = fields.Many2one(
        comodel_name="helpdesk.ticket.stage",
        string="Reason",
        readonly=True,
        ondelete="set null",
        help="The stage that stopped the clock (the ticket waited on the "
        "customer in it); empty for pauses recorded before it was kept.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the reason is the stage the ticket is in when its clock stops
        tickets = self.env["helpdesk.ticket"].browse(
            [vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")]
        )
        stages = {ticket.id: ticket.stage_id.id for ticket in tickets}
        if self.env.context.get("sla_pause_stage_id"):
            # a pause recorded ahead of its change of stage (demo replay)
            stages = dict.fromkeys(stages, self.env.context["sla_pause_stage_id"])
        for vals in vals_list:
            if "stage_id" not in vals and vals.get("ticket_id"):
                vals["stage_id"] = stages.get(vals["ticket_id"], False)
        return super().create(vals_list)
