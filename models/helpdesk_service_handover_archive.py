# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A done hand-over record (交接记录) is filed in the service archive of the
# company itself: the archive is per customer, and a hand-over concerns the
# team, not one customer (it lists records of many); the company's own
# partner holds the company's internal records, read by archivists and
# managers only (no team is linked to it).
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServiceHandover(models.Model):
    _inherit = "helpdesk.service.handover"

    def _file_in_archive(self):
        """Queue the done hand-overs for filing in their company's own
        archive, opened here when missing (without the customer registration
        form a customer's new archive files)."""
        Archive = self.env["helpdesk.service.archive"].sudo()
        for company in self.company_id:
            partner = company.partner_id
            if not Archive.search_count(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
            ):
                Archive.with_context(mail_create_nolog=True).create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "customer_code": partner.customer_code or False,
                    }
                )
        return self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "handover",
                    handover,
                    f"handover:{handover.id}",
                    handover.company_id.partner_id,
                    handover.company_id,
                    False,
                )
                for handover in self.sudo()
            ]
        )

    def _archive_document_title(self):
        """Filed as its number and the departing user (JJ2026-0001 Li Lei)."""
        self.ensure_one()
        return document_title(self.name, self.user_id.name)
