# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The plan proposal clock seen from the plan (seed 002: propose a plan within
# [X] working days of the confirmed need, reviewed by the manager): it is met
# when a plan for the request passes the manager's review; the plan shows the
# deadline and the status of its requests' clock.
from odoo import api, fields, models

from .helpdesk_ticket import SLA_STATES


class HelpdeskServicePlan(models.Model):
    _inherit = "helpdesk.service.plan"

    proposal_deadline = fields.Datetime(
        compute="_compute_proposal_clock",
        help="When the plan is to pass the manager's review: the plan proposal "
        "target of the agreement, in working days from the confirmed need.",
    )
    proposal_sla_state = fields.Selection(
        selection=SLA_STATES,
        string="Proposal SLA",
        compute="_compute_proposal_clock",
    )

    @api.depends("ticket_ids")
    def _compute_proposal_clock(self):
        """The clocks this plan met, else the running ones of its requests,
        read in one search (as superuser: the clock is the plan's own
        deadline, whoever reads the plan)."""
        Phase = self.env["helpdesk.ticket.sla.phase"].sudo()
        phases = Phase.browse()
        plans = self.filtered("id")
        if plans:
            phases = Phase.search(
                [
                    ("target", "=", "plan"),
                    "|",
                    ("plan_id", "in", plans.ids),
                    "&",
                    ("ticket_id", "in", plans.ticket_ids.ids),
                    ("state", "!=", "done"),
                ],
                order="id",
            )
        now = fields.Datetime.now()
        for plan in self:
            mine = phases.filtered(
                lambda phase, p=plan: (
                    phase.plan_id == p
                    or (not phase.plan_id and phase.ticket_id in p.ticket_ids)
                )
            )
            # the earliest deadline speaks for the plan
            first = mine.sorted(lambda phase: phase.response_deadline or now)[:1]
            plan.proposal_deadline = first.response_deadline
            plan.proposal_sla_state = first.sla_state

    def action_approve(self):
        """Passing the manager's review meets the plan proposal clock of its
        requests."""
        result = super().action_approve()
        now = fields.Datetime.now()
        for plan in self.sudo():
            phases = plan.ticket_ids._sla_open_commitments()
            phases._sla_commitment_met(plan.approval_date or now, plan)
        return result
