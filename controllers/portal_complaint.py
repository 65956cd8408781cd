# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ComplaintCustomerPortal(CustomerPortal):
    """The customer's feedback on the result of their complaint: a POST with
    the CSRF token, by a logged-in user who may see the ticket, only on a
    complaint with a result and no feedback yet."""

    @http.route(
        "/my/ticket/<int:ticket_id>/complaint_feedback",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def portal_complaint_feedback(
        self, ticket_id, feedback=None, access_token=None, **kw
    ):
        try:
            ticket_sudo = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/ticket/{ticket_sudo.id}"
        if access_token:
            url = f"{url}?{url_encode({'access_token': access_token})}"
        if (
            feedback in ("satisfied", "not_satisfied")
            and ticket_sudo.request_type == "complaint"
            and ticket_sudo.complaint_result
            and not ticket_sudo.complaint_feedback
        ):
            # sudo after _document_check_access above: the customer may read
            # the ticket, not write it; the state was checked just above and
            # is checked again by the method
            ticket_sudo._complaint_record_feedback(feedback)
        return request.redirect(url)
