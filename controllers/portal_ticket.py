# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class ServiceCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    """The labels of helpdesk_mgmt's ticket list on the portal, translated by
    this addon: helpdesk_mgmt ships no zh_CN, and Odoo reads the translations
    of code per module (i18n_extra/zh_CN.po carries its screen terms)."""

    @http.route()
    def portal_my_tickets(self, *args, **kwargs):
        # the "All" filter is built inside helpdesk_mgmt's route: relabel it
        # in the values of the page, rendered after this returns
        response = super().portal_my_tickets(*args, **kwargs)
        filters = (getattr(response, "qcontext", None) or {}).get("searchbar_filters")
        if filters and "all" in filters:
            filters["all"]["label"] = request.env._("All")
        return response

    def _relabel(self, values, labels):
        for key, label in labels.items():
            if key in values:
                values[key]["label"] = label
        return values

    def _ticket_get_searchbar_sortings(self):
        return self._relabel(
            super()._ticket_get_searchbar_sortings(),
            {
                "date": request.env._("Newest"),
                "name": request.env._("Title"),
                "stage": request.env._("Stage"),
                "update": request.env._("Last Stage Update"),
            },
        )

    def _ticket_get_searchbar_groupby(self):
        return self._relabel(
            super()._ticket_get_searchbar_groupby(),
            {
                "none": request.env._("None"),
                "category": request.env._("Category"),
                "stage": request.env._("Stage"),
            },
        )

    def _ticket_get_searchbar_inputs(self):
        return self._relabel(
            super()._ticket_get_searchbar_inputs(),
            {
                "all": request.env._("Search in All"),
                "number": request.env._("Search in Number"),
                "name": request.env._("Search in Title"),
            },
        )
