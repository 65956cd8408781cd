# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An agreement that ends (expires or is terminated) or is renewed is filed in
# its customer's service archive, as it stood at that moment.
from odoo import models

from .helpdesk_service_archive_document import document_title


class Agreement(models.Model):
    _inherit = "agreement"

    def _archive_enqueue(self, event):
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "agreement",
                    agreement,
                    f"agreement:{agreement.id}:{event}",
                    agreement.commercial_partner_id,
                    agreement.company_id,
                    False,
                )
                for agreement in self.sudo()
                if agreement.commercial_partner_id and not agreement.is_template
            ]
        )

    def _archive_document_title(self):
        """Filed as its number and customer (SA2026-0001 ...)."""
        self.ensure_one()
        return document_title(self.code, self.commercial_partner_id.name)

    def _renew(self, start_date, end_date):
        successors = super()._renew(start_date, end_date)
        self._archive_enqueue("renewed")
        return successors

    def _terminate(self, date, reason):
        result = super()._terminate(date, reason)
        self._archive_enqueue("terminated")
        return result

    def _expire(self):
        result = super()._expire()
        self._archive_enqueue("expired")
        return result
