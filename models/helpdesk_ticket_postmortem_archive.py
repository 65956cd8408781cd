# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A finished postmortem is filed in its customer's service archive.
from odoo import fields, models


class HelpdeskTicketPostmortem(models.Model):
    _inherit = "helpdesk.ticket.postmortem"

    def action_done(self):
        result = super().action_done()
        stamp = fields.Datetime.to_string(fields.Datetime.now())
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "postmortem",
                    postmortem,
                    f"postmortem:{postmortem.id}:{stamp}",
                    postmortem.ticket_id.commercial_partner_id,
                    postmortem.ticket_id.company_id,
                    postmortem.ticket_id.team_id,
                )
                for postmortem in self.sudo()
            ]
        )
        return result
