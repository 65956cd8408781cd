# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class ServiceHelpdeskTicketController(HelpdeskTicketController):
    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        field = request.env["helpdesk.ticket"]._fields["request_type"]
        values["request_types"] = field._description_selection(request.env)
        values["default_request_type"] = field.default(request.env["helpdesk.ticket"])
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("request_type"):
            # an unknown value is refused by the model with a clear message
            vals["request_type"] = kw["request_type"]
        return vals
