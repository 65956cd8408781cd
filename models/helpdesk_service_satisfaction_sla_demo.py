# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_ticket_sla_commitment_demo.xml): the
# dissatisfied demo answer runs its feedback answer clock, also in a
# database whose answer was given before the clock existed. Nothing here is
# called outside the demo data.
from odoo import api, fields, models


class HelpdeskServiceSatisfaction(models.Model):
    _inherit = "helpdesk.service.satisfaction"

    @api.model
    def _demo_feedback_clock(self, acceptance_id):
        """The feedback answer clock of the answer to acceptance form
        ``acceptance_id``, started now unless it has one."""
        self.sudo().search(
            [("acceptance_id", "=", acceptance_id)]
        )._sla_start_feedback_clock(fields.Datetime.now())
