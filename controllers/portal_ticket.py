# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class ServiceCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    """The labels of helpdesk_mgmt's ticket list on the portal, translated by
    this addon: helpdesk_mgmt ships no zh_CN, and Odoo reads the translations
    of code per module (i18n_extra/zh_CN.po carries its screen terms)."""

    def _relabel(self, values, labels):
        for key, label in labels.items():
            if key in values:
                values[key]["label"] = label
        return values

    def _ticket_get_searchbar_sortings(self):
        _ = request.env._
        return self._relabel(
            super()._ticket_get_searchbar_sortings(),
            {
                "date": _("Newest"),
                "name": _("Title"),
                "stage": _("Stage"),
                "update": _("Last Stage Update"),
            },
        )

    def _ticket_get_searchbar_groupby(self):
        _ = request.env._
        return self._relabel(
            super()._ticket_get_searchbar_groupby(),
            {"none": _("None"), "category": _("Category"), "stage": _("Stage")},
        )

    def _ticket_get_searchbar_inputs(self):
        _ = request.env._
        return self._relabel(
            super()._ticket_get_searchbar_inputs(),
            {
                "all": _("Search in All"),
                "number": _("Search in Number"),
                "name": _("Search in Title"),
            },
        )
