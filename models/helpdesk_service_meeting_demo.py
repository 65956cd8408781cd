# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_service_meeting_demo.xml): the organiser
# approves the minutes of the demo kick-off. Nothing here is called outside
# the demo data.
from odoo import api, models


class HelpdeskServiceMeeting(models.Model):
    _inherit = "helpdesk.service.meeting"

    @api.model
    def _demo_approve(self, meeting_id):
        """The organiser approves the minutes of ``meeting_id`` (left as it
        is when already approved)."""
        meeting = self.browse(meeting_id).exists()
        if meeting.state == "draft":
            meeting.with_user(meeting.organizer_id).action_approve()
