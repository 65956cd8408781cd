# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An answered satisfaction survey is filed in its customer's service archive.
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServiceSatisfaction(models.Model):
    _inherit = "helpdesk.service.satisfaction"

    def _process_answers(self):
        answered = super()._process_answers()
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "satisfaction",
                    satisfaction,
                    f"satisfaction:{satisfaction.id}",
                    satisfaction.partner_id,
                    satisfaction.company_id,
                    satisfaction.team_id,
                )
                for satisfaction in answered.sudo()
            ]
        )
        return answered

    def _archive_document_title(self):
        """Filed as its form's number and customer (YS2026-0001 ...)."""
        self.ensure_one()
        return document_title(self.name, self.partner_id.commercial_partner_id.name)
