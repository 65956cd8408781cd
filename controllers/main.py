# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import werkzeug

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class ServiceHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Close a ticket from the portal: over POST with the CSRF token, only
        a ticket the user may read (record rules: their own company's), only
        to a stage of that ticket's team that allows closing from the portal,
        and only while the ticket is still open. helpdesk_mgmt's version
        closes any ticket by id over GET."""
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(ticket_id or 0))
            ticket.check_access("read")
            ticket = ticket.exists()
            if not ticket:
                raise MissingError(request.env._("This ticket does not exist."))
        except (AccessError, MissingError, ValueError, TypeError):
            return request.redirect("/my")
        # sudo after the read check above: portal users read their tickets
        # but have no write access to them; the stage is checked against the
        # ticket's own closing stages
        ticket_sudo = ticket.sudo()
        # the stages of the ticket's team, or the company's shared ones, as
        # helpdesk_mgmt's ticket page offers them (read as superuser: the
        # stage rules of the company apply through the domain below)
        stages = (
            ticket_sudo.team_id._get_applicable_stages()
            if ticket_sudo.team_id
            else request.env["helpdesk.ticket.stage"]
            .sudo()
            .search(
                [
                    ("company_id", "in", [False, ticket_sudo.company_id.id]),
                    ("team_ids", "=", False),
                ]
            )
        )
        try:
            stage = stages.filtered("close_from_portal").filtered(
                lambda s: s.id == int(stage_id or 0)
            )
        except (ValueError, TypeError):
            stage = stages.browse()
        if stage and not ticket_sudo.closed:
            ticket_sudo.stage_id = stage
        return werkzeug.utils.redirect(f"/my/ticket/{ticket_sudo.id}")

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        field = request.env["helpdesk.ticket"]._fields["request_type"]
        values["request_types"] = field._description_selection(request.env)
        values["default_request_type"] = field.default(request.env["helpdesk.ticket"])
        # the urgency the customer states: a very high one is graded urgent
        priority = request.env["helpdesk.ticket"]._fields["priority"]
        values["priorities"] = priority._description_selection(request.env)
        values["default_priority"] = "1"
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("request_type"):
            # an unknown value is refused by the model with a clear message
            vals["request_type"] = kw["request_type"]
            if kw["request_type"] == "complaint":
                vals["complaint_channel"] = "portal"
        priorities = dict(
            request.env["helpdesk.ticket"]
            ._fields["priority"]
            ._description_selection(request.env)
        )
        if kw.get("priority") in priorities:
            vals["priority"] = kw["priority"]
        return vals
