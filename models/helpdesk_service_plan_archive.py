# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A confirmed service plan (服务方案) and its confirmation (服务方案确认书) are
# filed in the customer's service archive.
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServicePlan(models.Model):
    _inherit = "helpdesk.service.plan"

    def _after_confirm(self):
        result = super()._after_confirm()
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    document_type,
                    plan,
                    f"{document_type}:{plan.id}",
                    plan.partner_id,
                    plan.company_id,
                    plan.ticket_ids[:1].team_id,
                )
                for plan in self.sudo()
                for document_type in ("plan", "plan_confirmation")
            ]
        )
        return result

    def _archive_document_title(self):
        """Filed as its number, revision and customer (FA2026-0001 ...)."""
        self.ensure_one()
        number = self.name
        if self.revision > 1:
            number = self.env._(
                "%(number)s Rev. %(revision)s", number=number, revision=self.revision
            )
        return document_title(number, self.partner_id.commercial_partner_id.name)
