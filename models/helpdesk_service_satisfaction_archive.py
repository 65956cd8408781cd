# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An answered satisfaction survey is filed in its customer's service archive.
from odoo import models


class HelpdeskServiceSatisfaction(models.Model):
    _inherit = "helpdesk.service.satisfaction"

    def _process_answers(self):
        answered = super()._process_answers()
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "satisfaction",
                    satisfaction,
                    f"satisfaction:{satisfaction.id}",
                    satisfaction.partner_id,
                    satisfaction.company_id,
                    satisfaction.team_id,
                )
                for satisfaction in answered.sudo()
            ]
        )
        return answered
