# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A finished postmortem is filed in its customer's service archive.
from odoo import fields, models

from .helpdesk_service_archive_document import document_title


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

    def _archive_document_title(self):
        """Filed as its number, its ticket's and the customer (FP2026-0001 ...)."""
        self.ensure_one()
        return document_title(
            self.name,
            self.ticket_id.number,
            self.ticket_id.commercial_partner_id.name,
        )
