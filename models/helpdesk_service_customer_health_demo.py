# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_service_customer_health_demo.xml): the demo
# customers' health computed for the last months and today, so that their
# trend shows. Nothing here is called outside the demo data.
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class HelpdeskServiceCustomerHealth(models.Model):
    _inherit = "helpdesk.service.customer.health"

    @api.model
    def _demo_compute_health(self, months=2):
        """The health of every customer at the end of each of the last
        ``months`` months, then today."""
        today = fields.Date.context_today(self)
        partners = (
            self.env["res.partner"]
            .sudo()
            .search([("customer_code", "!=", False), ("parent_id", "=", False)])
        )
        for back in range(months, 0, -1):
            day = today.replace(day=1) - relativedelta(months=back - 1, days=1)
            self._health_compute(partners, day)
        self._health_compute(partners, today)
