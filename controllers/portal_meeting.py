# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The approved minutes of the customer's meetings (会议纪要) on the portal: a
# "Meetings" section on the plan's and the ticket's pages, and the PDF of each
# minutes. Read only: nothing changes over these GET routes.
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

from .portal_plan import ServicePlanCustomerPortal

MEETING = "helpdesk.service.meeting"
MEETING_REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_meeting"


def _approved_meetings(meetings):
    """The minutes a customer reads: approved ones only, newest first."""
    return meetings.filtered(lambda meeting: meeting.state == "approved").sorted(
        "date_start", reverse=True
    )


class ServiceMeetingPlanPortal(ServicePlanCustomerPortal):
    def _service_plan_page_values(self, plan_sudo, access_token, **extra):
        values = super()._service_plan_page_values(plan_sudo, access_token, **extra)
        # the plan passed _document_check_access (plan_sudo): its approved
        # minutes, each linked with its own token
        values["service_meetings"] = _approved_meetings(plan_sudo.meeting_ids)
        return values


class ServiceMeetingTicketPortal(CustomerPortalHelpdesk):
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # the ticket passed _document_check_access (ticket_sudo in the route)
        values["service_meetings"] = _approved_meetings(ticket.sudo().meeting_ids)
        return values

    @http.route(
        ["/my/service_meetings/<int:meeting_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_service_meeting(
        self, meeting_id, report_type=None, access_token=None, download=False, **kw
    ):
        """The PDF of approved minutes of the visitor's company (the record
        rule) or of the link's token; the page of what it was held on
        otherwise."""
        try:
            meeting_sudo = self._document_check_access(
                MEETING, meeting_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        # minutes are the customer's once approved, never before
        if meeting_sudo.state != "approved":
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            # the minutes hold nothing internal: rendered as checked above
            return self._show_report(
                model=meeting_sudo,
                report_type=report_type,
                report_ref=MEETING_REPORT,
                download=download,
            )
        origin = meeting_sudo.plan_id or meeting_sudo.ticket_id
        return request.redirect(origin.access_url or "/my")
