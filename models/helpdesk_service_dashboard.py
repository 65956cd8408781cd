# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The manager's service dashboard: the period's figures as tiles against the
# company's targets and the previous period, filtered by team, customer and
# agreement, each tile opening the records it counted. The figures are the
# service summary's (helpdesk_service_summary_figures.py), computed with an
# unsaved summary over the filters: a fixed number of queries per refresh,
# whatever the number of tickets.
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .helpdesk_service_summary_dashboard import DASHBOARD_FILTERS

# the summary figures the dashboard shows, in order, with their unit
SUMMARY_TILES = [
    ("compliance_level_1", "%"),
    ("compliance_level_2", "%"),
    ("compliance_level_3", "%"),
    ("enquiry_response_compliance", "%"),
    ("plan_proposal_compliance", "%"),
    ("feedback_answer_compliance", "%"),
    ("response_p50", "h"),
    ("response_p90", "h"),
    ("resolution_p50", "h"),
    ("resolution_p90", "h"),
    ("score_response_speed", "/5"),
    ("score_resolution", "/5"),
    ("score_communication", "/5"),
    ("recommend_rate", "%"),
    ("complaint_rate", "/100"),
    ("complaint_on_time_rate", "%"),
    ("acceptance_first_pass_rate", "%"),
    ("renewal_rate", "%"),
    # the follow-up visits of the communication plan, the late ones per tier
    ("visits_due", ""),
    ("visits_done", ""),
    ("visits_late", ""),
    ("visits_late_large", ""),
    ("visits_late_medium", ""),
    ("visits_late_small", ""),
]
# figures whose records are those of another figure's domain
TILE_RECORDS = {
    "response_p90": "response_p50",
    "resolution_p90": "resolution_p50",
    "score_response_speed": "satisfaction_count",
    "score_resolution": "satisfaction_count",
    "score_communication": "satisfaction_count",
    "recommend_rate": "satisfaction_count",
    "complaint_rate": "complaint_count",
    "renewal_rate": "agreements_due",
}
FILTER_FIELDS = {"team_id", "partner_id", "agreement_id", "period", "company_id"}


def _jsonable(domain):
    """A domain as the web client takes it: lists, dates as strings."""

    def value(term):
        if isinstance(term, datetime):
            return fields.Datetime.to_string(term)
        if isinstance(term, date):
            return fields.Date.to_string(term)
        if isinstance(term, tuple | set):
            return list(term)
        return term

    return [
        [term[0], term[1], value(term[2])] if isinstance(term, tuple) else term
        for term in list(domain)
    ]


class HelpdeskServiceDashboard(models.TransientModel):
    _name = "helpdesk.service.dashboard"
    _description = "Service Dashboard"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    period = fields.Selection(
        selection=[
            ("this_month", "This Month"),
            ("last_month", "Last Month"),
            ("this_quarter", "This Quarter"),
            ("last_quarter", "Last Quarter"),
        ],
        required=True,
        default="this_month",
    )
    date_start = fields.Date(string="From", compute="_compute_dates")
    date_end = fields.Date(string="To", compute="_compute_dates")
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", check_company=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        domain=[("is_company", "=", True)],
    )
    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        domain=[("is_template", "=", False)],
        check_company=True,
    )
    tile_ids = fields.One2many(
        comodel_name="helpdesk.service.dashboard.tile",
        inverse_name="dashboard_id",
        string="Tiles",
        readonly=True,
    )
    computed_date = fields.Datetime(string="Figures Computed On", readonly=True)

    @api.depends_context("lang")
    def _compute_display_name(self):
        # the breadcrumb reads the dashboard's name, not a record reference
        for dashboard in self:
            dashboard.display_name = self.env._("Service Dashboard")

    @api.depends("period")
    @api.depends_context("tz")
    def _compute_dates(self):
        for dashboard in self:
            dashboard.date_start, dashboard.date_end = dashboard._period_bounds(0)

    def _period_bounds(self, back):
        """(first day, last day) of the period, ``back`` periods earlier."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        months = 3 if self.period in ("this_quarter", "last_quarter") else 1
        start = today.replace(day=1)
        if months == 3:
            start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
        if self.period in ("last_month", "last_quarter"):
            back += 1
        start -= relativedelta(months=months * back)
        return start, start + relativedelta(months=months, days=-1)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        dashboards = super().create(vals_list)
        dashboards._refresh_tiles()
        return dashboards

    def write(self, vals):
        result = super().write(vals)
        if FILTER_FIELDS & set(vals):
            self._refresh_tiles()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def action_open_dashboard(self):
        """The dashboard of this month, for the whole company."""
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Service Dashboard"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_refresh(self):
        self._refresh_tiles()
        return True

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _refresh_tiles(self):
        for dashboard in self:
            values = dashboard._tile_values()
            dashboard.tile_ids.unlink()
            self.env["helpdesk.service.dashboard.tile"].create(
                [
                    dict(vals, dashboard_id=dashboard.id, sequence=sequence)
                    for sequence, vals in enumerate(values, start=1)
                ]
            )
            dashboard.computed_date = fields.Datetime.now()

    def _filters(self):
        self.ensure_one()
        return {
            "team_id": self.team_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "agreement_id": self.agreement_id.id,
        }

    def _summary(self, back):
        """An unsaved service summary of the period (``back`` periods
        earlier) over the dashboard's filters, its figures computed."""
        self.ensure_one()
        date_start, date_end = self._period_bounds(back)
        Summary = (
            self.env["helpdesk.service.summary"]
            .sudo()
            .with_context(**{DASHBOARD_FILTERS: self._filters()})
        )
        summary = Summary.new(
            {
                "scope": "team",
                "period_type": "quarter" if "quarter" in self.period else "month",
                "date_start": date_start,
                "date_end": date_end,
                "team_id": self.team_id.id,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
            }
        )
        summary.update(dict(summary._figures(), figures_date=fields.Datetime.now()))
        return summary

    def _tile_values(self):
        """The tiles' values: the summary's figures of the period against the
        previous period's and the targets, then the tickets breached and at
        risk now, the agreements in their notice window and the customers'
        health."""
        self.ensure_one()
        current = self._summary(0)
        current.previous_id = self._summary(1)
        rows = {row["fname"]: row for row in current._comparison_rows()}
        start, end = current._period()
        served = current._served_partners_query(start, end)
        domains = current._figure_domains(start, end, served)
        tiles = []
        for fname, unit in SUMMARY_TILES:
            row = rows[fname]
            model, domain = domains[TILE_RECORDS.get(fname, fname)]
            tiles.append(
                {
                    "key": fname,
                    "section": row["section"],
                    "label": row["label"],
                    "value": row["value"] or 0.0,
                    "value_display": row["value_display"],
                    "unit": unit,
                    "previous_display": row["previous_display"],
                    "target_display": row["target_display"],
                    "reason": row["reason"],
                    "bar": row["bar"] or 0,
                    "has_bar": row["bar"] is not None,
                    "target_state": "no_data"
                    if row["no_data"]
                    else {True: "met", False: "missed"}.get(row["met"], False),
                    "res_model": model,
                    "domain": _jsonable(domain),
                }
            )
        return tiles + self._now_tile_values(served)

    def _now_domains(self, served):
        """{key: (model, domain, label, unit)} of the figures of today: the
        open tickets breached and at risk, the agreements in their renewal
        notice window, and (when customer health is computed) the customers
        red and amber."""
        self.ensure_one()
        env = self.env
        company = Domain("company_id", "=", self.company_id.id)
        filters = self._filters()
        tickets = company
        agreements = company & Domain("is_template", "=", False)
        customers = Domain("is_company", "=", True)
        if filters["team_id"]:
            tickets &= Domain("team_id", "=", filters["team_id"])
            agreements &= Domain("commercial_partner_id", "in", served or [])
            customers &= Domain("id", "in", served or [])
        if filters["partner_id"]:
            tickets &= Domain("commercial_partner_id", "=", filters["partner_id"])
            agreements &= Domain("commercial_partner_id", "=", filters["partner_id"])
            customers &= Domain("id", "=", filters["partner_id"])
        if filters["agreement_id"]:
            tickets &= Domain("agreement_id", "=", filters["agreement_id"])
            agreements &= Domain("id", "=", filters["agreement_id"])
            customers &= Domain(
                "id", "=", self.agreement_id.partner_id.commercial_partner_id.id
            )
        Team = env["helpdesk.ticket.team"]
        # labels first: translated strings stay out of the tuples below
        breached_label = env._("SLA Breached Now")
        at_risk_label = env._("SLA At Risk Now")
        notice_label = env._("Agreements in Their Renewal Notice Window")
        tickets_unit = env._("tickets")
        agreements_unit = env._("agreements")
        result = {
            "sla_breached_now": (
                "helpdesk.ticket",
                tickets & Team._sla_health_domain("breached"),
                breached_label,
                tickets_unit,
            ),
            "sla_at_risk_now": (
                "helpdesk.ticket",
                tickets & Team._sla_health_domain("at_risk"),
                at_risk_label,
                tickets_unit,
            ),
            "agreements_notice_window": (
                "agreement",
                agreements & Domain("is_expiring", "=", True),
                notice_label,
                agreements_unit,
            ),
        }
        # the customers' health (res_partner_health)
        labels = {
            "red": env._("Customers Red"),
            "amber": env._("Customers Amber"),
        }
        customers_unit = env._("customers")
        for state, label in labels.items():
            result[f"health_{state}"] = (
                "res.partner",
                customers & Domain("health_state", "=", state),
                label,
                customers_unit,
            )
        return result

    def _now_tile_values(self, served):
        section = self.env._("Now")
        tiles = []
        for key, (model, domain, label, unit) in self._now_domains(served).items():
            # a count of what the user's role is shown as figures (as the
            # summary's): the drill-down then opens what the user may read
            count = self.env[model].sudo().with_context(active_test=False)
            count = count.search_count(domain)
            tiles.append(
                {
                    "key": key,
                    "section": section,
                    "label": label,
                    "value": count,
                    "value_display": str(count),
                    "unit": unit,
                    "previous_display": "",
                    "target_display": "",
                    "reason": "",
                    "bar": 0,
                    "has_bar": False,
                    "target_state": False,
                    "res_model": model,
                    "domain": _jsonable(domain),
                }
            )
        return tiles
