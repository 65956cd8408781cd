# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    sla_pause = fields.Boolean(
        string="Pauses the SLA Clock",
        help="Tickets in this stage wait on the customer: their service level "
        "clocks stop, and their deadlines move by the working time they spent "
        "here.",
    )

    @api.constrains("closed", "sla_pause")
    def _check_sla_pause(self):
        for stage in self:
            if stage.closed and stage.sla_pause:
                raise ValidationError(
                    self.env._(
                        "The stage %(stage)s closes tickets: it cannot pause their "
                        "service level clock.",
                        stage=stage.name,
                    )
                )
