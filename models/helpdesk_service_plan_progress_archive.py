# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A sent progress report (进度简报) is filed in its customer's service archive.
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServicePlanProgress(models.Model):
    _inherit = "helpdesk.service.plan.progress"

    def _after_send(self):
        """A sent progress report is filed in its customer's archive."""
        result = super()._after_send()
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "progress_report",
                    report,
                    f"progress_report:{report.id}",
                    report.partner_id,
                    report.company_id,
                    report.plan_id.ticket_ids[:1].team_id,
                )
                for report in self.sudo()
            ]
        )
        return result

    def _archive_document_title(self):
        """Filed as its number and customer (JB2026-0001 ...)."""
        self.ensure_one()
        return document_title(self.name, self.partner_id.commercial_partner_id.name)
