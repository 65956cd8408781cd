# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Customer health (客户健康度): one snapshot per customer, company and month,
# the score of 100 less the points each factor takes (SLA breaches,
# escalations, complaints and their outcome, satisfaction, recommendation,
# rectification rounds, plan delays, the renewal window), with the company's
# weights and thresholds (res_company_health.py). Written by the scheduled
# computation only, in SQL, a fixed number of queries per batch of customers
# (helpdesk_service_customer_health_factors.py, res_partner_health.py).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .system_fields import check_system_fields

HEALTH_STATES = [("green", "Green"), ("amber", "Amber"), ("red", "Red")]
# the average satisfaction (1 to 5) below which points are taken
SATISFACTION_BASELINE = 4.0
# the figures, points and states: written by the computation only
FIGURE_FIELDS = {
    "partner_id",
    "company_id",
    "period_start",
    "date",
    "score",
    "state",
    "previous_score",
    "has_previous",
    "trend",
    "breach_count",
    "escalation_count",
    "complaint_count",
    "complaint_open_count",
    "satisfaction_count",
    "satisfaction_avg",
    "recommend_rate",
    "recommend_target",
    "rectification_count",
    "plan_delay_count",
    "renewal_days",
    "has_renewal",
    "points_breach",
    "points_escalation",
    "points_complaint",
    "points_satisfaction",
    "points_recommend",
    "points_rectification",
    "points_plan_delay",
    "points_renewal",
}


def _fmt(value):
    """A figure as people write it: 12, 7.5."""
    return f"{round(value, 1):g}"


class HelpdeskServiceCustomerHealth(models.Model):
    _name = "helpdesk.service.customer.health"
    _description = "Customer Health"
    _order = "period_start desc, score, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    # one snapshot per customer, company and month: a second run updates it
    _partner_period_uniq = models.UniqueIndex(
        "(partner_id, company_id, period_start)",
        lambda env, diag: env._(
            "A customer has one health snapshot per company and month."
        ),
    )
    _score_range = models.Constraint(
        "CHECK(score BETWEEN 0 AND 100)",
        lambda env, diag: env._("A health score lies between 0 and 100."),
    )

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    customer_code = fields.Char(related="partner_id.customer_code")
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    period_start = fields.Date(string="Month", required=True, readonly=True)
    date = fields.Date(string="Computed On", readonly=True)
    score = fields.Float(readonly=True, aggregator="avg", digits=(5, 1))
    state = fields.Selection(selection=HEALTH_STATES, readonly=True, index=True)
    previous_score = fields.Float(
        string="Previous Month's Score", readonly=True, digits=(5, 1)
    )
    has_previous = fields.Boolean(readonly=True)
    trend = fields.Float(
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="The score less the previous month's.",
    )
    breach_count = fields.Integer(string="SLA Targets Missed", readonly=True)
    escalation_count = fields.Integer(string="Escalations", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_open_count = fields.Integer(
        string="Unresolved Complaints",
        readonly=True,
        help="Complaints whose result the customer has not accepted.",
    )
    satisfaction_count = fields.Integer(string="Survey Answers", readonly=True)
    satisfaction_avg = fields.Float(
        string="Average Satisfaction", readonly=True, aggregator="avg", digits=(3, 2)
    )
    recommend_rate = fields.Float(
        string="Recommendation Rate (%)", readonly=True, aggregator="avg", digits=(5, 1)
    )
    recommend_target = fields.Float(string="Recommendation Target (%)", readonly=True)
    rectification_count = fields.Integer(string="Rectification Rounds", readonly=True)
    plan_delay_count = fields.Integer(string="Plan Delays", readonly=True)
    renewal_days = fields.Integer(
        string="Days to Renewal Window",
        readonly=True,
        help="Days until the nearest renewal notice window of an agreement not "
        "renewed yet; 0 or less: inside it.",
    )
    has_renewal = fields.Boolean(string="Agreement to Renew", readonly=True)
    points_breach = fields.Float(string="Points: SLA Breaches", readonly=True)
    points_escalation = fields.Float(string="Points: Escalations", readonly=True)
    points_complaint = fields.Float(string="Points: Complaints", readonly=True)
    points_satisfaction = fields.Float(string="Points: Satisfaction", readonly=True)
    points_recommend = fields.Float(string="Points: Recommendation", readonly=True)
    points_rectification = fields.Float(string="Points: Rectification", readonly=True)
    points_plan_delay = fields.Float(string="Points: Plan Delays", readonly=True)
    points_renewal = fields.Float(string="Points: Renewal", readonly=True)
    reasons = fields.Text(
        compute="_compute_reasons",
        help="The factors that lowered the score, in the reader's language.",
    )
    in_renewal_window = fields.Boolean(compute="_compute_reasons")
    served_by_user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Served By",
        compute="_compute_served_by_user_ids",
        search="_search_served_by_user_ids",
        help="The members and leaders of the teams of the customer's tickets.",
    )

    @api.depends("partner_id", "period_start")
    def _compute_display_name(self):
        for snapshot in self:
            month = (
                f"{snapshot.period_start.year}-{snapshot.period_start.month:02d}"
                if snapshot.period_start
                else ""
            )
            snapshot.display_name = f"{snapshot.partner_id.name or ''} {month}".strip()

    @api.depends_context("lang")
    @api.depends(*sorted(FIGURE_FIELDS))
    def _compute_reasons(self):
        for snapshot in self:
            snapshot.reasons = "\n".join(snapshot._health_reasons())
            snapshot.in_renewal_window = bool(
                snapshot.has_renewal and snapshot.renewal_days <= 0
            )

    def _compute_served_by_user_ids(self):
        # the teams' membership decides, whoever reads: as superuser
        groups = (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [("commercial_partner_id", "in", self.partner_id.ids)],
                ["commercial_partner_id", "team_id"],
            )
        )
        users = {}
        for partner, team in groups:
            users[partner] = users.get(partner, self.env["res.users"]) | (
                team.user_ids | team.user_id
            )
        for snapshot in self:
            snapshot.served_by_user_ids = users.get(
                snapshot.partner_id, self.env["res.users"]
            )

    def _search_served_by_user_ids(self, operator, value):
        if operator != "in":
            return NotImplemented
        # the record rule of agents and leads: the customers of the tickets of
        # the teams they belong to or lead. Their membership decides, not
        # their access to the tickets: searched as superuser
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .with_context(active_test=False)
            ._search(Domain("user_ids", "in", value) | Domain("user_id", "in", value))
        )
        tickets = self.env["helpdesk.ticket"].sudo()._search([("team_id", "in", teams)])
        return Domain("partner_id", "in", tickets.subselect("commercial_partner_id"))

    def _health_reasons(self):
        """The factors that took points from the score, one line each, in
        the environment's language."""
        self.ensure_one()
        reasons = []
        if self.points_breach:
            reasons.append(
                self.env._(
                    "SLA targets missed: %(count)s (−%(points)s)",
                    count=self.breach_count,
                    points=_fmt(self.points_breach),
                )
            )
        if self.points_escalation:
            reasons.append(
                self.env._(
                    "Escalations: %(count)s (−%(points)s)",
                    count=self.escalation_count,
                    points=_fmt(self.points_escalation),
                )
            )
        if self.points_complaint:
            reasons.append(
                self.env._(
                    "Complaints: %(count)s, without a result the customer "
                    "accepted: %(open)s (−%(points)s)",
                    count=self.complaint_count,
                    open=self.complaint_open_count,
                    points=_fmt(self.points_complaint),
                )
            )
        if self.points_satisfaction:
            reasons.append(
                self.env._(
                    "Average satisfaction: %(score)s of 5 (−%(points)s)",
                    score=f"{self.satisfaction_avg:.2f}",
                    points=_fmt(self.points_satisfaction),
                )
            )
        if self.points_recommend:
            reasons.append(
                self.env._(
                    "Recommendation rate: %(rate)s, target %(target)s (−%(points)s)",
                    rate=f"{_fmt(self.recommend_rate)}%",
                    target=f"{_fmt(self.recommend_target)}%",
                    points=_fmt(self.points_recommend),
                )
            )
        if self.points_rectification:
            reasons.append(
                self.env._(
                    "Acceptance forms sent back for rectification: %(count)s "
                    "(−%(points)s)",
                    count=self.rectification_count,
                    points=_fmt(self.points_rectification),
                )
            )
        if self.points_plan_delay:
            reasons.append(
                self.env._(
                    "Service plan delays: %(count)s (−%(points)s)",
                    count=self.plan_delay_count,
                    points=_fmt(self.points_plan_delay),
                )
            )
        if self.points_renewal:
            reasons.append(
                self.env._(
                    "Agreement not renewed, in its renewal notice window for "
                    "%(days)s days (−%(points)s)",
                    days=-self.renewal_days,
                    points=_fmt(self.points_renewal),
                )
            )
        return reasons

    # ------------------------------------------------------------------
    # CRUD: the computation writes snapshots, nobody else
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, FIGURE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], FIGURE_FIELDS)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(
                self.env._("Customer health snapshots are kept: they show the trend.")
            )

    # ------------------------------------------------------------------
    # Score
    # ------------------------------------------------------------------

    @api.model
    def _health_values(self, figures, company):
        """The snapshot's figures, points, score and state from the factors
        ``figures`` of one customer, with ``company``'s weights."""
        breaches = figures.get("breach_count") or 0
        escalations = figures.get("escalation_count") or 0
        complaints = figures.get("complaint_count") or 0
        complaints_open = figures.get("complaint_open_count") or 0
        answers = figures.get("satisfaction_count") or 0
        satisfaction = figures.get("satisfaction_avg")
        recommend = figures.get("recommend_rate")
        rectifications = figures.get("rectification_count") or 0
        delays = figures.get("plan_delay_count") or 0
        renewal_days = figures.get("renewal_days")
        target = company.summary_target_recommend_rate
        points = {
            "points_breach": breaches * company.health_weight_breach,
            "points_escalation": escalations * company.health_weight_escalation,
            "points_complaint": complaints * company.health_weight_complaint
            + complaints_open * company.health_weight_complaint_open,
            "points_satisfaction": (
                max(SATISFACTION_BASELINE - satisfaction, 0.0)
                * company.health_weight_satisfaction
                if satisfaction is not None
                else 0.0
            ),
            "points_recommend": (
                max(target - recommend, 0.0) / target * company.health_weight_recommend
                if answers and recommend is not None and target > 0
                else 0.0
            ),
            "points_rectification": rectifications
            * company.health_weight_rectification,
            "points_plan_delay": delays * company.health_weight_plan_delay,
            "points_renewal": (
                company.health_weight_renewal
                if renewal_days is not None and renewal_days <= 0
                else 0.0
            ),
        }
        points = {key: round(value, 2) for key, value in points.items()}
        score = round(max(100.0 - sum(points.values()), 0.0), 1)
        if score >= company.health_threshold_green:
            state = "green"
        elif score >= company.health_threshold_amber:
            state = "amber"
        else:
            state = "red"
        return {
            "score": score,
            "state": state,
            "breach_count": breaches,
            "escalation_count": escalations,
            "complaint_count": complaints,
            "complaint_open_count": complaints_open,
            "satisfaction_count": answers,
            "satisfaction_avg": round(satisfaction or 0.0, 2),
            "recommend_rate": round(recommend or 0.0, 1),
            "recommend_target": target,
            "rectification_count": rectifications,
            "plan_delay_count": delays,
            "renewal_days": renewal_days or 0,
            "has_renewal": renewal_days is not None,
            **points,
        }

    @api.model
    def _health_period(self, day):
        """The month of ``day``: its first day, and the previous month's."""
        start = day.replace(day=1)
        return start, start - relativedelta(months=1)
