# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The feedback answer clock (seed 002: answer the customer's feedback within
# [X] working days): a satisfaction answer with comments or a low score
# starts the agreement's clock (an SLA phase of target "feedback"); the
# team's first public reply to the customer on the feedback answers it; it
# pauses while the team awaits the customer's clarification, and resumes when
# the customer writes or the team resumes it.
from odoo import api, fields, models
from odoo.exceptions import UserError

from .helpdesk_service_satisfaction import SATISFACTION_SCORES
from .helpdesk_ticket import SLA_STATES
from .system_fields import check_system_fields, system_write

FEEDBACK_SYSTEM_FIELDS = frozenset(
    {"feedback_answer_date", "feedback_answered_by_id", "feedback_phase_ids"}
)
AGENT_GROUP = "helpdesk_service_agreement.group_service_agent"


class HelpdeskServiceSatisfaction(models.Model):
    _inherit = "helpdesk.service.satisfaction"
    # the team answers the customer from the feedback it may read
    _mail_post_access = "read"

    feedback_phase_ids = fields.One2many(
        comodel_name="helpdesk.ticket.sla.phase",
        inverse_name="satisfaction_id",
        string="Feedback Answer Clock",
        readonly=True,
    )
    feedback_answer_date = fields.Datetime(
        string="Feedback Answered On",
        readonly=True,
        copy=False,
        help="The team's first public reply to the customer on this feedback.",
    )
    feedback_answered_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    feedback_deadline = fields.Datetime(
        string="Answer Deadline", compute="_compute_feedback_clock"
    )
    feedback_sla_state = fields.Selection(
        selection=SLA_STATES, string="Answer SLA", compute="_compute_feedback_clock"
    )
    feedback_clock_state = fields.Selection(
        selection=[("running", "Running"), ("paused", "Paused"), ("done", "Done")],
        string="Answer Clock",
        compute="_compute_feedback_clock",
    )

    @api.depends(
        "feedback_phase_ids.response_deadline",
        "feedback_phase_ids.sla_state",
        "feedback_phase_ids.state",
    )
    def _compute_feedback_clock(self):
        for satisfaction in self:
            phase = satisfaction.sudo().feedback_phase_ids.sorted("id")[-1:]
            satisfaction.feedback_deadline = phase.response_deadline
            satisfaction.feedback_sla_state = phase.sla_state
            satisfaction.feedback_clock_state = phase.state

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, FEEDBACK_SYSTEM_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], FEEDBACK_SYSTEM_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------------
    # The clock starts with the customer's answer
    # ------------------------------------------------------------------

    def _process_answers(self):
        answered = super()._process_answers()
        answered._sla_start_feedback_clock(fields.Datetime.now())
        return answered

    def _sla_feedback_needs_answer(self):
        """Comments, or a dimension scored below the company's
        dissatisfaction threshold (the average included)."""
        self.ensure_one()
        if self.state != "answered":
            return False
        if (self.comments or "").strip() or self.dissatisfied:
            return True
        threshold = self.company_id.satisfaction_threshold
        return any(
            0 < self[fname] < threshold for fname in SATISFACTION_SCORES.values()
        )

    def _sla_start_feedback_clock(self, now):
        """One clock per feedback that needs an answer and has none yet, on
        the agreement's target (the company's default template's without
        an agreement)."""
        entries = []
        for satisfaction in self.sudo():
            ticket = satisfaction.ticket_ids.sorted("id")[:1]
            if (
                not ticket
                or satisfaction.feedback_phase_ids
                or satisfaction.feedback_answer_date
                or not satisfaction._sla_feedback_needs_answer()
            ):
                continue
            agreement = (
                satisfaction.agreement_id
                or ticket.service_level_id.agreement_id
                or satisfaction.company_id.default_service_agreement_id
            )
            if not agreement.feedback_answer_days:
                continue
            entries.append(
                {
                    "ticket": ticket,
                    "agreement": agreement,
                    "days": agreement.feedback_answer_days,
                    "user": satisfaction.user_id or ticket.user_id,
                    "satisfaction": satisfaction,
                }
            )
        if not entries:
            return self.env["helpdesk.ticket.sla.phase"]
        return (
            self.env["helpdesk.ticket.sla.phase"]
            .sudo()
            ._sla_open_commitments("feedback", entries, now)
        )

    # ------------------------------------------------------------------
    # Answer, pause, resume
    # ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_values):
        """The team's first public reply answers the feedback; a message of
        the customer resumes a clock paused for them."""
        result = super()._message_post_after_hook(message, msg_values)
        if msg_values.get("message_type") not in ("comment", "email"):
            return result
        if msg_values.get("subtype_id") != self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.mt_comment"
        ):
            return result
        author = message.author_id
        if not author:
            return result
        when = message.date or fields.Datetime.now()
        if author.partner_share:
            self._sla_feedback_phases().filtered(
                lambda phase: phase.state == "paused"
            )._sla_resume(when)
        else:
            self._sla_register_feedback_answer(when, message.create_uid)
        return result

    def _sla_feedback_phases(self):
        return self.sudo().feedback_phase_ids.filtered(
            lambda phase: phase.state != "done"
        )

    def _sla_register_feedback_answer(self, when, user):
        todo = self.sudo().filtered(
            lambda satisfaction: (
                not satisfaction.feedback_answer_date
                and satisfaction.feedback_phase_ids
            )
        )
        if not todo:
            return
        with system_write(*FEEDBACK_SYSTEM_FIELDS):
            todo.write(
                {"feedback_answer_date": when, "feedback_answered_by_id": user.id}
            )
        todo._sla_feedback_phases()._sla_commitment_met(when)

    def _check_feedback_agent(self):
        self.check_access("read")
        if not self.env.user.has_group(AGENT_GROUP):
            raise UserError(
                self.env._("Only the service team pauses or resumes the answer clock.")
            )

    def action_feedback_pause(self):
        """The team awaits the customer's clarification: the clock stops."""
        self._check_feedback_agent()
        phases = self._sla_feedback_phases()
        if not phases.filtered(lambda phase: phase.state == "running"):
            raise UserError(self.env._("The answer clock is not running."))
        # sudo after the checks above: the clock is the system's record
        phases._sla_pause(fields.Datetime.now())
        return True

    def action_feedback_resume(self):
        self._check_feedback_agent()
        phases = self._sla_feedback_phases().filtered(
            lambda phase: phase.state == "paused"
        )
        if not phases:
            raise UserError(self.env._("The answer clock is not paused."))
        phases._sla_resume(fields.Datetime.now())
        self.env["helpdesk.ticket"]._sla_trigger_check(phases)
        return True

    def action_answer_feedback(self):
        """The composer, addressed to the invited contact: its message is the
        answer."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
                "default_partner_ids": self.signer_partner_id.ids,
            },
        }
