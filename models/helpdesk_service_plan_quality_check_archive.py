# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A recorded quality check (内部质量检查记录) is filed in its customer's service
# archive.
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServicePlanQualityCheck(models.Model):
    _inherit = "helpdesk.service.plan.quality.check"

    def _after_record(self):
        """A recorded quality check is filed in its customer's archive."""
        result = super()._after_record()
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "quality_check",
                    check,
                    f"quality_check:{check.id}",
                    check.partner_id,
                    check.company_id,
                    check.plan_id.ticket_ids[:1].team_id,
                )
                for check in self.sudo()
            ]
        )
        return result

    def _archive_document_title(self):
        """Filed as its number and customer (ZJ2026-0001 ...)."""
        self.ensure_one()
        return document_title(self.name, self.partner_id.commercial_partner_id.name)
