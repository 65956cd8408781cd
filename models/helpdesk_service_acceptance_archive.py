# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A signed acceptance form is filed in its customer's service archive.
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServiceAcceptance(models.Model):
    _inherit = "helpdesk.service.acceptance"

    def _after_accept(self):
        result = super()._after_accept()
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "acceptance",
                    acceptance,
                    f"acceptance:{acceptance.id}",
                    acceptance.partner_id,
                    acceptance.company_id,
                    acceptance.ticket_ids[:1].team_id,
                )
                for acceptance in self.sudo()
            ]
        )
        return result

    def _archive_document_title(self):
        """Filed as its number and customer (YS2026-0001 ...)."""
        self.ensure_one()
        return document_title(self.name, self.partner_id.commercial_partner_id.name)
