# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An approved customer summary (服务总结报告) is filed in its customer's service
# archive (helpdesk_service_summary.py queues it).
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServiceSummary(models.Model):
    _inherit = "helpdesk.service.summary"

    def _archive_document_title(self):
        """Filed as its period and customer (HSA Customer Ltd 2026-Q1)."""
        self.ensure_one()
        return document_title(self.name, self.partner_id.commercial_partner_id.name)
