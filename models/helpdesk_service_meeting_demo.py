# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_service_meeting_demo.xml): the organiser
# approves the minutes of the demo kick-off. Nothing here is called outside
# the demo data.
from odoo import api, models


class HelpdeskServiceMeeting(models.Model):
    _inherit = "helpdesk.service.meeting"

    @api.model
    def _demo_kickoff(self, plan_id, values):
        """The kick-off of the plan ``plan_id`` with ``values``, its minutes
        approved by the organiser; nothing when the plan is not confirmed or
        the demo kick-off exists (xml id ``helpdesk_service_meeting_huaxin_
        kickoff_demo``)."""
        xmlid = (
            "helpdesk_service_agreement.helpdesk_service_meeting_huaxin_kickoff_demo"
        )
        plan = self.env["helpdesk.service.plan"].browse(plan_id).exists()
        if self.env.ref(xmlid, raise_if_not_found=False) or plan.state != "confirmed":
            return
        meeting = self.create(dict(values, plan_id=plan.id))
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": xmlid, "record": meeting, "noupdate": True}]
        )
        self._demo_approve(meeting.id)

    @api.model
    def _demo_approve(self, meeting_id):
        """The organiser approves the minutes of ``meeting_id`` (left as it
        is when already approved)."""
        meeting = self.browse(meeting_id).exists()
        if meeting.state == "draft":
            meeting.with_user(meeting.organizer_id).action_approve()
