# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The periodic appraisal (考核与评估, seeds 002 and 003) of a service team
# member: figures the database computes from the member's work
# (helpdesk_service_appraisal_figures.py), the lead's qualitative part and
# rating, the manager's approval. Approved is final, for everyone.
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .system_fields import check_system_fields, is_system_write, system_write

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
APPRAISAL_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
]
RATINGS = [
    ("excellent", "Excellent"),
    ("good", "Good"),
    ("satisfactory", "Satisfactory"),
    ("improve", "Needs Improvement"),
]
FIGURE_FIELDS = {
    "tickets_handled",
    "response_p50",
    "response_p90",
    "resolution_p50",
    "resolution_p90",
    "sla_met",
    "sla_breached",
    "sla_compliance",
    "quality_passed",
    "quality_failed",
    "satisfaction_count",
    "satisfaction_score",
    "complaint_count",
    "complaint_satisfied",
    "complaint_not_satisfied",
    "acceptance_count",
    "acceptance_first_pass_rate",
    "visit_due",
    "visit_on_time",
    "visit_late",
    "visit_on_time_rate",
    "figures_missing",
    "figures_date",
}
SYSTEM_FIELDS = FIGURE_FIELDS | {"state", "approved_by_id", "approved_date"}
QUALITATIVE_FIELDS = {"score_attitude", "score_knowledge", "comments", "rating"}


class HelpdeskServiceAppraisal(models.Model):
    _name = "helpdesk.service.appraisal"
    _description = "Appraisal"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "helpdesk.service.evidence.mixin",
    ]
    _order = "date_start desc, user_id, id desc"
    _check_company_auto = True

    _member_period_unique = models.UniqueIndex(
        "(user_id, period_type, date_start, company_id)",
        lambda env, diag: env._("A member has one appraisal per period."),
    )
    _scores_positive = models.Constraint(
        "CHECK(COALESCE(score_attitude, 0) >= 0 AND COALESCE(score_knowledge, 0) >= 0)",
        lambda env, diag: env._("Appraisal scores cannot be negative."),
    )

    name = fields.Char(compute="_compute_name")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Member",
        required=True,
        index=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        required=True,
        index=True,
        check_company=True,
        help="The team whose lead appraises the member.",
    )
    lead_id = fields.Many2one(related="team_id.user_id", string="Team Lead")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    period_type = fields.Selection(
        selection=[("month", "Month"), ("quarter", "Quarter")],
        string="Period",
        required=True,
        default="month",
    )
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(
        string="To", compute="_compute_date_end", store=True, precompute=True
    )
    state = fields.Selection(
        selection=APPRAISAL_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    # the work, computed by the database
    figures_date = fields.Datetime(string="Figures Computed On", readonly=True)
    tickets_handled = fields.Integer(readonly=True, help="Tickets closed as assignee.")
    response_p50 = fields.Float(
        string="First Response, Median (h)", readonly=True, aggregator="avg"
    )
    response_p90 = fields.Float(
        string="First Response, 90th Percentile (h)", readonly=True, aggregator="avg"
    )
    resolution_p50 = fields.Float(
        string="Resolution, Median (h)", readonly=True, aggregator="avg"
    )
    resolution_p90 = fields.Float(
        string="Resolution, 90th Percentile (h)", readonly=True, aggregator="avg"
    )
    sla_met = fields.Integer(string="Levels Met", readonly=True)
    sla_breached = fields.Integer(
        string="Escalations Caused",
        readonly=True,
        help="Levels of the member's tickets that missed a deadline.",
    )
    sla_compliance = fields.Float(
        string="SLA Compliance (%)", readonly=True, aggregator="avg"
    )
    quality_passed = fields.Integer(string="Quality Checks Passed", readonly=True)
    quality_failed = fields.Integer(string="Quality Checks Failed", readonly=True)
    satisfaction_count = fields.Integer(string="Survey Answers", readonly=True)
    satisfaction_score = fields.Float(
        string="Satisfaction (1-5)", readonly=True, aggregator="avg"
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_satisfied = fields.Integer(
        string="Complaints Resolved to Satisfaction", readonly=True
    )
    complaint_not_satisfied = fields.Integer(
        string="Complaints Not Satisfied", readonly=True
    )
    acceptance_count = fields.Integer(string="Acceptances Answered", readonly=True)
    acceptance_first_pass_rate = fields.Float(
        string="Accepted at First Round (%)", readonly=True, aggregator="avg"
    )
    visit_due = fields.Integer(
        string="Follow-up Visits Due",
        readonly=True,
        help="Follow-up visits the member owns that were due in the period.",
    )
    visit_on_time = fields.Integer(
        string="Visits Done on Time", readonly=True, help="Recorded by their due date."
    )
    visit_late = fields.Integer(
        string="Visits Late",
        readonly=True,
        help="Missed (not recorded by their due date) or recorded after it.",
    )
    visit_on_time_rate = fields.Float(
        string="Visits on Time (%)",
        readonly=True,
        aggregator="avg",
        help="Visits done on time among those done on time or late.",
    )
    figures_missing = fields.Json(string="Figures Without Data", readonly=True)
    # the lead's part
    score_attitude = fields.Integer(string="Attitude", tracking=True)
    score_knowledge = fields.Integer(string="Knowledge", tracking=True)
    comments = fields.Html()
    rating = fields.Selection(selection=RATINGS, tracking=True)
    scale = fields.Integer(related="company_id.appraisal_scale")
    score_performance = fields.Float(
        string="Performance",
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        help="From the figures: the average of the SLA compliance, the quality "
        "checks passed, the acceptance first-pass rate, the satisfaction and the "
        "follow-up visits on time, those with data, on the company's scale.",
    )
    score_total = fields.Float(
        string="Total Score",
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        help="Performance, attitude and knowledge weighted as the settings say.",
    )
    approved_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    approved_date = fields.Datetime(string="Approved On", readonly=True)

    @api.depends("user_id.name", "period_type", "date_start")
    def _compute_name(self):
        for appraisal in self:
            start = appraisal.date_start
            period = ""
            if start:
                period = (
                    f"{start.year}-Q{(start.month - 1) // 3 + 1}"
                    if appraisal.period_type == "quarter"
                    else f"{start.year}-{start.month:02d}"
                )
            appraisal.name = f"{appraisal.user_id.name or ''} {period}".strip()

    @api.depends("period_type", "date_start")
    def _compute_date_end(self):
        for appraisal in self:
            months = 3 if appraisal.period_type == "quarter" else 1
            appraisal.date_end = appraisal.date_start and (
                appraisal.date_start + relativedelta(months=months, days=-1)
            )

    @api.depends(
        "figures_missing",
        "sla_compliance",
        "quality_passed",
        "quality_failed",
        "acceptance_first_pass_rate",
        "satisfaction_score",
        "visit_on_time_rate",
        "score_attitude",
        "score_knowledge",
    )
    def _compute_scores(self):
        # the settings of the day the scores are computed: changing them later
        # changes no appraisal, an approved one least of all
        for appraisal in self:
            company = appraisal.company_id
            scale = company.appraisal_scale or 5
            rates = appraisal._performance_rates()
            performance = (
                round(sum(rates) / len(rates) / 100.0 * scale, 2) if rates else 0.0
            )
            parts = [
                (performance, company.appraisal_weight_performance, bool(rates)),
                (
                    appraisal.score_attitude,
                    company.appraisal_weight_attitude,
                    bool(appraisal.score_attitude),
                ),
                (
                    appraisal.score_knowledge,
                    company.appraisal_weight_knowledge,
                    bool(appraisal.score_knowledge),
                ),
            ]
            weight = sum(w for _v, w, given in parts if given)
            appraisal.score_performance = performance
            appraisal.score_total = (
                round(sum(v * w for v, w, given in parts if given) / weight, 2)
                if weight
                else 0.0
            )

    def _performance_rates(self):
        """The member's rates (0-100) that have data."""
        self.ensure_one()
        missing = self.figures_missing or {}
        rates = []
        if self.figures_date and "sla_compliance" not in missing:
            rates.append(self.sla_compliance)
        checks = self.quality_passed + self.quality_failed
        if checks:
            rates.append(100.0 * self.quality_passed / checks)
        if self.figures_date and "acceptance_first_pass_rate" not in missing:
            rates.append(self.acceptance_first_pass_rate)
        if self.satisfaction_count:
            rates.append(100.0 * (self.satisfaction_score - 1) / 4)
        if self.figures_date and "visit_on_time_rate" not in missing:
            rates.append(self.visit_on_time_rate)
        return rates

    @api.constrains("score_attitude", "score_knowledge", "company_id")
    def _check_scores_on_scale(self):
        for appraisal in self:
            scale = appraisal.company_id.appraisal_scale
            for score in (appraisal.score_attitude, appraisal.score_knowledge):
                if score and not 1 <= score <= scale:
                    raise UserError(
                        self.env._("Scores are given from 1 to %(scale)s.", scale=scale)
                    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, SYSTEM_FIELDS, defaults={"state": "draft"})
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], SYSTEM_FIELDS)
        # approved is final for everyone, the superuser included
        if any(a.state == "approved" for a in self) and not is_system_write("state"):
            raise UserError(
                self.env._("An approved appraisal is final and cannot be changed.")
            )
        if (
            QUALITATIVE_FIELDS.intersection(vals)
            and any(a.state != "draft" for a in self)
            and not is_system_write("state")
        ):
            raise UserError(
                self.env._("Only a draft appraisal can be changed; send it back first.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(appraisal.state == "approved" for appraisal in self):
            raise UserError(self.env._("An approved appraisal cannot be deleted."))

    def _evidence_final_domain(self):
        return [("state", "=", "approved")]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_refresh_figures(self):
        if any(appraisal.state != "draft" for appraisal in self):
            raise UserError(
                self.env._("The figures of a submitted appraisal are frozen.")
            )
        self.check_access("write")
        self._compute_figures()
        return True

    def action_submit(self):
        self.check_access("write")
        for appraisal in self:
            if appraisal.state != "draft":
                raise UserError(self.env._("Only a draft appraisal can be submitted."))
            if not (
                appraisal.rating
                and appraisal.score_attitude
                and appraisal.score_knowledge
            ):
                raise UserError(
                    self.env._(
                        "Give %(appraisal)s its attitude and knowledge scores and "
                        "a rating before submitting it.",
                        appraisal=appraisal.display_name,
                    )
                )
        if not all(appraisal.figures_date for appraisal in self):
            self.filtered(lambda a: not a.figures_date)._compute_figures()
        with system_write("state"):
            self.write({"state": "submitted"})
        return True

    def action_approve(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._("Only a customer service manager approves an appraisal.")
            )
        self.check_access("write")
        if any(appraisal.state != "submitted" for appraisal in self):
            raise UserError(self.env._("Only a submitted appraisal can be approved."))
        with system_write("state", "approved_by_id", "approved_date"):
            self.write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                }
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_back_to_draft(self):
        self.check_access("write")
        if any(appraisal.state != "submitted" for appraisal in self):
            raise UserError(
                self.env._("Only a submitted appraisal goes back to draft.")
            )
        with system_write("state"):
            self.write({"state": "draft"})
        return True
