# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Approved meeting minutes (会议纪要) are filed in the customer's service
# archive, once.
from odoo import models

from .helpdesk_service_archive_document import document_title


class HelpdeskServiceMeeting(models.Model):
    _inherit = "helpdesk.service.meeting"

    def _after_approve(self):
        result = super()._after_approve()
        self._archive_enqueue()
        return result

    def _archive_enqueue(self):
        """Each approved minutes is queued once (its filing key): approving
        or queuing again files nothing twice."""
        return self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "meeting_minutes",
                    meeting,
                    f"meeting_minutes:{meeting.id}",
                    meeting.partner_id,
                    meeting.company_id,
                    meeting.ticket_id.team_id or meeting.plan_id.ticket_ids[:1].team_id,
                )
                for meeting in self.sudo()
            ]
        )

    def _archive_document_title(self):
        """Filed as its number, subject and customer (HY2026-0001 ...)."""
        self.ensure_one()
        return document_title(
            self.name, self.subject, self.partner_id.commercial_partner_id.name
        )
