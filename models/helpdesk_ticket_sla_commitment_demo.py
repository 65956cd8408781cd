# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_ticket_sla_commitment_demo.xml): the demo
# requests' needs are confirmed at past moments of their replay, which starts
# their plan proposal clocks there; the scheduled check then warns of the
# ones at risk. Nothing here is called outside the demo data.
from odoo import api, fields, models

from .system_fields import system_write


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _demo_confirm_need(self, moment, user_xmlid):
        """A replay step: that user confirms the customer's need at
        ``moment``; the plan proposal clock starts there."""
        if self.need_confirmed_date:
            return
        with system_write("need_confirmed_date", "need_confirmed_by_id"):
            self.write(
                {
                    "need_confirmed_date": moment,
                    "need_confirmed_by_id": self.env.ref(user_xmlid).id,
                }
            )
        self._sla_start_plan_clock(moment)

    @api.model
    def _demo_commitment_check(self):
        """The scheduled check of the commitment clocks, as its next run does,
        in the install's transaction (the scheduled action commits)."""
        now = fields.Datetime.now()
        Phase = self.env["helpdesk.ticket.sla.phase"].sudo()
        Phase.search(
            Phase._sla_commitment_due_domain(now), order="next_check, id"
        )._sla_handle_commitments(now)
