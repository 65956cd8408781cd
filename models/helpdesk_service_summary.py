# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The service summary report (服务总结报告) of a period, per team or per
# customer: figures computed from the records (helpdesk_service_summary_
# figures.py), the lead's analysis and improvement measures, the manager's
# approval; an approved customer summary is filed in the customer's archive.
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import is_html_empty

from .system_fields import check_system_fields, system_write

SUMMARY_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
]
# computed figures: written by "Refresh Figures" only, frozen once approved
FIGURE_FIELDS = {
    "tickets_received",
    "tickets_closed",
    "response_p50",
    "response_p90",
    "resolution_p50",
    "resolution_p90",
    "compliance_level_1",
    "compliance_level_2",
    "compliance_level_3",
    "escalation_count",
    "postmortem_count",
    "acceptance_count",
    "acceptance_first_pass_rate",
    "rectification_count",
    "satisfaction_count",
    "score_response_speed",
    "score_resolution",
    "score_communication",
    "recommend_rate",
    "complaint_count",
    "complaint_rate",
    "complaint_on_time_rate",
    "agreements_due",
    "agreements_renewed",
    "renewal_rate",
    "knowledge_added",
    # the commitments of seed 002 and the communication plan of seed 003
    # (helpdesk_service_summary_commitment.py)
    "plan_proposal_compliance",
    "feedback_answer_compliance",
    "enquiry_response_compliance",
    "visits_due",
    "visits_done",
    "visits_late",
    *(
        f"visits_{count}_{tier}"
        for tier in ("large", "medium", "small")
        for count in ("due", "done", "late")
    ),
    "figures_missing",
    "figures_date",
}
SYSTEM_FIELDS = FIGURE_FIELDS | {"state", "approved_by_id", "approved_date"}
# the figures, in the order the form and the PDF show them: section, field,
# company field of its target (or None), which way is better, the scale of a
# bar without a target (None: against the previous period only)
FIGURE_ROWS = [
    ("efficiency", "tickets_received", None, "high", None),
    ("efficiency", "tickets_closed", None, "high", None),
    ("efficiency", "response_p50", "summary_target_response_hours", "low", None),
    ("efficiency", "response_p90", None, "low", None),
    ("efficiency", "resolution_p50", None, "low", None),
    ("efficiency", "resolution_p90", None, "low", None),
    ("quality", "compliance_level_1", None, "high", 100.0),
    ("quality", "compliance_level_2", None, "high", 100.0),
    ("quality", "compliance_level_3", None, "high", 100.0),
    ("quality", "enquiry_response_compliance", None, "high", 100.0),
    ("quality", "plan_proposal_compliance", None, "high", 100.0),
    ("quality", "feedback_answer_compliance", None, "high", 100.0),
    ("quality", "escalation_count", None, "low", None),
    ("quality", "postmortem_count", None, "low", None),
    ("quality", "acceptance_first_pass_rate", None, "high", 100.0),
    ("quality", "rectification_count", None, "low", None),
    ("satisfaction", "satisfaction_count", None, "high", None),
    ("satisfaction", "score_response_speed", None, "high", 5.0),
    ("satisfaction", "score_resolution", None, "high", 5.0),
    ("satisfaction", "score_communication", None, "high", 5.0),
    ("satisfaction", "recommend_rate", "summary_target_recommend_rate", "high", 100.0),
    ("satisfaction", "complaint_count", None, "low", None),
    ("satisfaction", "complaint_rate", None, "low", None),
    ("satisfaction", "complaint_on_time_rate", None, "high", 100.0),
    ("retention", "agreements_due", None, "high", None),
    ("retention", "agreements_renewed", None, "high", None),
    ("retention", "renewal_rate", "summary_target_renewal_rate", "high", 100.0),
    ("retention", "knowledge_added", None, "high", None),
    ("communication", "visits_due", None, "high", None),
    ("communication", "visits_done", None, "high", None),
    ("communication", "visits_late", None, "low", None),
    *(
        ("communication", f"visits_{count}_{tier}", None, better, None)
        for tier in ("large", "medium", "small")
        for count, better in (("due", "high"), ("done", "high"), ("late", "low"))
    ),
]
FIGURE_NAMES = [fname for _section, fname, _target, _better, _scale in FIGURE_ROWS]
# figures whose records are counted by another figure's domain
FIGURE_RECORDS = {
    "complaint_rate": "complaint_count",
    "response_p90": "response_p50",
    "resolution_p90": "resolution_p50",
    "score_response_speed": "satisfaction_count",
    "score_resolution": "satisfaction_count",
    "score_communication": "satisfaction_count",
    "recommend_rate": "satisfaction_count",
    "renewal_rate": "agreements_due",
}


class HelpdeskServiceSummary(models.Model):
    _name = "helpdesk.service.summary"
    _description = "Service Summary Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    _dates_ordered = models.Constraint(
        "CHECK(date_end >= date_start)",
        lambda env, diag: env._("A summary period cannot end before it starts."),
    )
    _scope_set = models.Constraint(
        "CHECK((scope = 'team' AND team_id IS NOT NULL) OR "
        "(scope = 'customer' AND partner_id IS NOT NULL))",
        lambda env, diag: env._(
            "A team summary needs its team, a customer summary its customer."
        ),
    )

    # in the reader's language (a team's name is translated): computed when
    # read, never stored in the language of whoever saved it
    name = fields.Char(compute="_compute_name", search="_search_name")
    period_type = fields.Selection(
        selection=[("month", "Month"), ("quarter", "Quarter")],
        string="Period",
        required=True,
        default="month",
    )
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To", required=True)
    scope = fields.Selection(
        selection=[("team", "Team"), ("customer", "Customer")],
        required=True,
        default="team",
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", check_company=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        domain=[("is_company", "=", True)],
        index="btree_not_null",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Team Lead",
        domain=[("share", "=", False)],
        help="Who writes the analysis and the improvement measures.",
    )
    state = fields.Selection(
        selection=SUMMARY_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        readonly=True,
    )
    analysis = fields.Html(help="Efficiency, quality and satisfaction of the period.")
    improvement_measures = fields.Html()
    approved_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    approved_date = fields.Datetime(string="Approved On", readonly=True)
    previous_id = fields.Many2one(
        comodel_name="helpdesk.service.summary",
        string="Previous Period",
        compute="_compute_previous_id",
    )
    figures_date = fields.Datetime(string="Figures Computed On", readonly=True)
    # efficiency
    tickets_received = fields.Integer(readonly=True)
    tickets_closed = fields.Integer(readonly=True)
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
    # quality
    compliance_level_1 = fields.Float(
        string="SLA Compliance, Level 1 (%)", readonly=True, aggregator="avg"
    )
    compliance_level_2 = fields.Float(
        string="SLA Compliance, Level 2 (%)", readonly=True, aggregator="avg"
    )
    compliance_level_3 = fields.Float(
        string="SLA Compliance, Level 3 (%)", readonly=True, aggregator="avg"
    )
    escalation_count = fields.Integer(string="Escalations", readonly=True)
    postmortem_count = fields.Integer(string="Postmortems", readonly=True)
    acceptance_count = fields.Integer(string="Acceptances Answered", readonly=True)
    acceptance_first_pass_rate = fields.Float(
        string="Accepted at First Round (%)", readonly=True, aggregator="avg"
    )
    rectification_count = fields.Integer(string="Rectification Rounds", readonly=True)
    # satisfaction
    satisfaction_count = fields.Integer(string="Survey Answers", readonly=True)
    score_response_speed = fields.Float(
        string="Response Speed (1-5)", readonly=True, aggregator="avg"
    )
    score_resolution = fields.Float(
        string="Resolution Effect (1-5)", readonly=True, aggregator="avg"
    )
    score_communication = fields.Float(
        string="Communication (1-5)", readonly=True, aggregator="avg"
    )
    recommend_rate = fields.Float(
        string="Recommendation Rate (%)", readonly=True, aggregator="avg"
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_rate = fields.Float(
        string="Complaints per 100 Tickets", readonly=True, aggregator="avg"
    )
    complaint_on_time_rate = fields.Float(
        string="Complaints Answered on Time (%)", readonly=True, aggregator="avg"
    )
    # retention and knowledge
    agreements_due = fields.Integer(readonly=True)
    agreements_renewed = fields.Integer(readonly=True)
    renewal_rate = fields.Float(
        string="Renewal Rate (%)", readonly=True, aggregator="avg"
    )
    knowledge_added = fields.Integer(string="Knowledge Articles Added", readonly=True)
    figures_missing = fields.Json(
        string="Figures Without Data",
        readonly=True,
        help="The figures that had nothing to count, with the reason.",
    )
    figure_ids = fields.One2many(
        comodel_name="helpdesk.service.summary.figure",
        string="Figure Lines",
        compute="_compute_figure_ids",
    )
    comparison_html = fields.Html(
        string="Figures",
        compute="_compute_comparison_html",
        sanitize=False,
        help="The figures beside the previous period's and the targets.",
    )
    # the company's targets, shown beside the figures
    target_renewal_rate = fields.Float(related="company_id.summary_target_renewal_rate")
    target_recommend_rate = fields.Float(
        related="company_id.summary_target_recommend_rate"
    )
    target_response_hours = fields.Float(
        related="company_id.summary_target_response_hours"
    )

    @api.depends(
        "period_type",
        "date_start",
        "scope",
        "team_id.name",
        "partner_id.commercial_partner_id.name",
    )
    @api.depends_context("lang")
    def _compute_name(self):
        for summary in self:
            if not summary.date_start:
                summary.name = False
                continue
            start = summary.date_start
            # the period is written the same in every language
            period = (
                f"{start.year}-Q{(start.month - 1) // 3 + 1}"
                if summary.period_type == "quarter"
                else f"{start.year}-{start.month:02d}"
            )
            subject = (
                summary.team_id.name
                if summary.scope == "team"
                else summary.partner_id.commercial_partner_id.name
            )
            summary.name = f"{subject or ''} {period}".strip()

    def _search_name(self, operator, value):
        """By the team's or the customer's name, in any language."""
        if operator not in ("ilike", "=ilike", "like", "=like", "=", "in"):
            return NotImplemented
        return Domain("team_id.name", operator, value) | Domain(
            "partner_id.commercial_partner_id.name", operator, value
        )

    def _compute_previous_id(self):
        for summary in self:
            if not summary.date_start:
                summary.previous_id = False
                continue
            summary.previous_id = self.search(
                summary._same_scope_domain()
                & Domain("date_end", "<", summary.date_start)
                & Domain("period_type", "=", summary.period_type),
                order="date_start desc",
                limit=1,
            )

    def _compute_figure_ids(self):
        # a view over the summaries: read, never cached from creation
        Figure = self.env["helpdesk.service.summary.figure"]
        figures = Figure.search(Domain("summary_id", "in", self._origin.ids))
        for summary in self:
            summary.figure_ids = figures.filtered(
                lambda figure, summary=summary: figure.summary_id == summary._origin
            )

    def _compute_comparison_html(self):
        for summary in self:
            summary.comparison_html = self.env["ir.qweb"]._render(
                "helpdesk_service_agreement.helpdesk_service_summary_figures",
                {"summary": summary, "rows": summary._comparison_rows()},
            )

    def _comparison_rows(self):
        """The summary's figures as table rows, for the form and the PDF:
        section, label, value, the previous period's value and the target,
        each also as the text to print ("—" without data, with the reason),
        whether the target is met, and the bar lengths in percent of the
        figure's scale (its target, its range, or the previous period's)."""
        self.ensure_one()
        previous = self.previous_id
        env = self.env
        company = self.company_id
        reasons = self._figure_reasons()
        previous_reasons = previous._figure_reasons() if previous else {}
        labels = self._figure_reason_labels()
        sections = {
            "efficiency": env._("Efficiency"),
            "quality": env._("Quality"),
            "satisfaction": env._("Satisfaction"),
            "retention": env._("Retention and Knowledge"),
            "communication": env._("Follow-up Visits"),
        }
        # the colon is the language's own (全角 in Chinese)
        no_data = env._("No data:")

        def text(field, value):
            return f"{value:.2f}" if field.type == "float" else str(value)

        rows = []
        for section, fname, target_field, better, scale in FIGURE_ROWS:
            field = self._fields[fname]
            value = self[fname]
            missing = fname in reasons
            before = (
                previous[fname] if previous and fname not in previous_reasons else None
            )
            target = company[target_field] if target_field else None
            if scale is None and (target is not None or before is not None):
                scale = max(v for v in (value, before, target) if v is not None)
            scale = scale or None
            rows.append(
                {
                    "section": sections[section],
                    "fname": fname,
                    "label": field._description_string(env),
                    "value": None if missing else value,
                    "previous": before,
                    "target": target,
                    "better": better,
                    "no_data": missing,
                    "reason": labels[reasons[fname]] if missing else "",
                    "value_display": "—" if missing else text(field, value),
                    "no_data_display": no_data if missing else "",
                    "previous_display": ""
                    if not previous
                    else ("—" if before is None else text(field, before)),
                    "target_display": "" if target is None else f"{target:.0f}",
                    # None: no bar (nothing to measure it against)
                    "bar": None
                    if missing or not scale
                    else min(100, round(100.0 * abs(value) / scale)),
                    "bar_previous": None
                    if before is None or not scale
                    else min(100, round(100.0 * abs(before) / scale)),
                    "bar_target": None
                    if target is None or not scale
                    else min(100, round(100.0 * target / scale)),
                    "met": None
                    if target is None or missing
                    else (value >= target if better == "high" else value <= target),
                    "percent": field.type == "float",
                }
            )
        met_labels = {True: env._("Met"), False: env._("Missed"), None: ""}
        for row in rows:
            row["met_display"] = met_labels[row["met"]]
        return rows

    def _same_scope_domain(self):
        self.ensure_one()
        domain = Domain("scope", "=", self.scope) & Domain(
            "company_id", "=", self.company_id.id
        )
        if self.scope == "team":
            return domain & Domain("team_id", "=", self.team_id.id)
        return domain & Domain("partner_id", "=", self.partner_id.id)

    @api.constrains("date_start", "date_end", "scope", "team_id", "partner_id", "state")
    def _check_no_overlap_with_approved(self):
        for summary in self:
            overlapping = self.search_count(
                summary._same_scope_domain()
                & Domain("id", "!=", summary.id)
                & Domain("state", "=", "approved")
                & Domain("period_type", "=", summary.period_type)
                & Domain("date_start", "<=", summary.date_end)
                & Domain("date_end", ">=", summary.date_start),
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "The period of %(summary)s overlaps an approved summary of "
                        "the same team or customer.",
                        summary=summary.display_name,
                    )
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
        if not self.env.su and any(s.state == "approved" for s in self):
            raise UserError(
                self.env._("An approved summary is final and cannot be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(summary.state == "approved" for summary in self):
            raise UserError(self.env._("An approved summary cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_refresh_figures(self):
        if any(summary.state == "approved" for summary in self):
            raise UserError(
                self.env._("The figures of an approved summary are frozen.")
            )
        self.check_access("write")
        self._compute_figures()
        return True

    def action_submit(self):
        self.check_access("write")
        for summary in self:
            if summary.state != "draft":
                raise UserError(self.env._("Only a draft summary can be submitted."))
            if is_html_empty(summary.analysis):
                raise UserError(
                    self.env._(
                        "Write the analysis of %(summary)s before submitting it.",
                        summary=summary.display_name,
                    )
                )
        with system_write("state"):
            self.write({"state": "submitted"})
        return True

    def action_approve(self):
        if not self.env.user.has_group(
            "helpdesk_service_agreement.group_service_manager"
        ):
            raise UserError(
                self.env._("Only a customer service manager approves a summary.")
            )
        for summary in self:
            if summary.state != "submitted":
                raise UserError(self.env._("Only a submitted summary can be approved."))
            if is_html_empty(summary.analysis):
                raise UserError(
                    self.env._("A summary without its analysis cannot be approved.")
                )
        with system_write("state", "approved_by_id", "approved_date"):
            self.write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                }
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self._archive_enqueue()
        return True

    def action_back_to_draft(self):
        self.check_access("write")
        if any(summary.state != "submitted" for summary in self):
            raise UserError(self.env._("Only a submitted summary goes back to draft."))
        with system_write("state"):
            self.write({"state": "draft"})
        return True

    def _archive_enqueue(self):
        """An approved customer summary is filed in the customer's archive;
        a team's stays with the team."""
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "summary",
                    summary,
                    f"summary:{summary.id}",
                    summary.partner_id,
                    summary.company_id,
                    False,
                )
                for summary in self.sudo()
                if summary.scope == "customer" and summary.partner_id
            ]
        )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _period_bounds(self, period_type, today):
        """The last ended period of ``period_type`` before ``today``."""
        first_of_month = today.replace(day=1)
        if period_type == "month":
            start = first_of_month - relativedelta(months=1)
            return start, first_of_month - relativedelta(days=1)
        quarter_start = first_of_month.replace(
            month=(first_of_month.month - 1) // 3 * 3 + 1
        )
        start = quarter_start - relativedelta(months=3)
        return start, quarter_start - relativedelta(days=1)

    @api.model
    def _cron_draft_summaries(self):
        """When a month (or a quarter) ends: a draft summary for each team
        with tickets, its figures computed, and a to-do for its lead. Run
        twice, it drafts nothing twice."""
        today = fields.Date.context_today(self)
        Summary = self.sudo()
        created = Summary.browse()
        period_types = ["month"] + (["quarter"] if today.month in (1, 4, 7, 10) else [])
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        for period_type in period_types:
            start, end = self._period_bounds(period_type, today)
            # the teams that received tickets in the period
            teams = Ticket._read_group(
                [
                    ("create_date", ">=", start),
                    ("create_date", "<", end + relativedelta(days=1)),
                    ("team_id.active", "=", True),
                ],
                ["team_id"],
            )
            teams = self.env["helpdesk.ticket.team"].union(*(row[0] for row in teams))
            existing = Summary.search(
                [
                    ("scope", "=", "team"),
                    ("period_type", "=", period_type),
                    ("date_start", "=", start),
                    ("team_id", "in", teams.ids),
                ]
            ).team_id
            vals_list = [
                {
                    "scope": "team",
                    "period_type": period_type,
                    "date_start": start,
                    "date_end": end,
                    "team_id": team.id,
                    "company_id": team.company_id.id or self.env.company.id,
                    "user_id": team.user_id.id,
                }
                for team in teams - existing
            ]
            created |= Summary.with_context(mail_create_nolog=True).create(vals_list)
        created._compute_figures()
        for summary in created.filtered("user_id"):
            # the to-do in the language of the lead who reads it
            env = self.with_context(lang=summary.user_id.lang or self.env.lang).env
            summary.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=summary.user_id.id,
                summary=env._("Write the service summary"),
                note=env._(
                    "The figures of %(summary)s are ready: write the analysis and "
                    "the improvement measures, then submit it for approval.",
                    summary=summary.with_env(env).name,
                ),
            )
        return created
