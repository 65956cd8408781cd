# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The request's plan proposal clock (seed 002: propose a plan within [X]
# working days of the confirmed need): the agent confirms the need of a
# pre-sale or in-sale request, the clock of the agreement's plan proposal
# starts, pauses with the ticket, and is met when a plan for it passes the
# manager's review (helpdesk_service_plan_sla.py). The ticket's level clocks
# (sla_phase_ids) leave these phases out.
from odoo import api, fields, models
from odoo.exceptions import UserError

from .helpdesk_ticket import SLA_STATES
from .system_fields import check_system_fields, system_write

NEED_REQUEST_TYPES = ("pre_sale", "in_sale")
COMMITMENT_SYSTEM_FIELDS = frozenset(
    {"need_confirmed_date", "need_confirmed_by_id", "sla_commitment_ids"}
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # the clocks of the problem levels only
    sla_phase_ids = fields.One2many(domain=[("target", "=", "level")])
    sla_pause_ids = fields.One2many(domain=[("phase_id.target", "=", "level")])
    sla_commitment_ids = fields.One2many(
        comodel_name="helpdesk.ticket.sla.phase",
        inverse_name="ticket_id",
        string="Plan Proposal Clocks",
        domain=[("target", "=", "plan")],
        readonly=True,
    )
    need_confirmed_date = fields.Datetime(
        string="Need Confirmed On",
        readonly=True,
        copy=False,
        help="When the agent confirmed the customer's need: the plan proposal "
        "clock starts.",
    )
    need_confirmed_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    plan_deadline = fields.Datetime(
        string="Plan Proposal Deadline", compute="_compute_plan_clock"
    )
    plan_sla_state = fields.Selection(
        selection=SLA_STATES, string="Plan Proposal", compute="_compute_plan_clock"
    )

    @api.depends("sla_commitment_ids.response_deadline", "sla_commitment_ids.sla_state")
    def _compute_plan_clock(self):
        for ticket in self:
            phase = ticket.sla_commitment_ids.sorted("id")[-1:]
            ticket.plan_deadline = phase.response_deadline
            ticket.plan_sla_state = phase.sla_state

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, COMMITMENT_SYSTEM_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], COMMITMENT_SYSTEM_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm_need(self):
        """The customer's need is confirmed (analysed with the customer): the
        plan proposal clock of the agreement starts."""
        self.check_access("write")
        for ticket in self:
            if ticket.request_type not in NEED_REQUEST_TYPES:
                raise UserError(
                    self.env._(
                        "Only a pre-sale or in-sale request has a need to confirm "
                        "before a service plan: %(ticket)s.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.stage_id.closed or ticket.need_confirmed_date:
                raise UserError(
                    self.env._(
                        "The need of %(ticket)s is already confirmed, or the "
                        "request is closed.",
                        ticket=ticket.display_name,
                    )
                )
        now = fields.Datetime.now()
        with system_write("need_confirmed_date", "need_confirmed_by_id"):
            self.write(
                {"need_confirmed_date": now, "need_confirmed_by_id": self.env.uid}
            )
        self._sla_start_plan_clock(now)
        return True

    # ------------------------------------------------------------------
    # The plan proposal clock
    # ------------------------------------------------------------------

    def _sla_start_plan_clock(self, now):
        """One plan proposal clock per confirmed request whose agreement (or
        the company's default template) sets a target."""
        tickets = self.sudo()
        entries = []
        for ticket in tickets:
            agreement = ticket.service_level_id.agreement_id
            if not agreement.plan_proposal_days:
                continue
            entries.append(
                {
                    "ticket": ticket,
                    "agreement": agreement,
                    "days": agreement.plan_proposal_days,
                    "user": ticket.user_id or ticket.team_id.user_id,
                }
            )
        if not entries:
            return self.env["helpdesk.ticket.sla.phase"]
        phases = (
            self.env["helpdesk.ticket.sla.phase"]
            .sudo()
            ._sla_open_commitments("plan", entries, now)
        )
        phases.filtered(lambda phase: phase.ticket_id.stage_id.sla_pause)._sla_pause(
            now
        )
        return phases

    def _sla_open_commitments(self):
        return self.sudo().sla_commitment_ids.filtered(
            lambda phase: phase.state != "done"
        )

    def _sla_stage_changed(self, old_stages, now):
        """The plan proposal clock pauses and resumes with its request, and
        stops when the request closes."""
        result = super()._sla_stage_changed(old_stages, now)
        tickets = self.sudo().filtered("sla_commitment_ids")
        for ticket in tickets:
            old, new = old_stages[ticket.id], ticket.stage_id
            phases = ticket._sla_open_commitments()
            if new.closed and not old.closed:
                phases._sla_commitment_drop(now)
            elif new.sla_pause and not old.sla_pause:
                phases._sla_pause(now)
            elif old.sla_pause and not new.sla_pause:
                phases._sla_resume(now)
                self._sla_trigger_check(phases)
        return result

    # ------------------------------------------------------------------
    # Scheduled check: the commitments too
    # ------------------------------------------------------------------

    @api.model
    def _cron_sla_check(self, batch_size=200):
        result = super()._cron_sla_check(batch_size=batch_size)
        self.env["helpdesk.ticket.sla.phase"]._sla_check_commitments(
            fields.Datetime.now(), batch_size=batch_size
        )
        return result
