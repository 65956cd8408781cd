# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The summary's figures of the commitments of seed 002 and of the
# communication plan of seed 003 (issue 22): the compliance of the enquiry
# response (pre-sale requests), of the plan proposal and of the feedback
# answer, from the SLA compliance analysis as the levels' are; the follow-up
# visits due, done and late in the period, in total and per customer tier.
# Two more queries per summary, whatever the number of records; each figure
# counts the records of its domain in :meth:`_figure_domains`, which its
# drill-down opens.
from odoo import fields, models
from odoo.fields import Domain

from .helpdesk_service_contact_policy import CUSTOMER_TIERS

# figure: (target of the SLA phase, reason without data)
COMMITMENT_FIGURES = {
    "enquiry_response_compliance": ("level", "no_enquiry_clock"),
    "plan_proposal_compliance": ("plan", "no_plan_clock"),
    "feedback_answer_compliance": ("feedback", "no_feedback_clock"),
}
TIERS = [tier for tier, _label in CUSTOMER_TIERS]
VISIT_COUNTS = ("due", "done", "late")
VISIT_FIGURES = [f"visits_{count}" for count in VISIT_COUNTS] + [
    f"visits_{count}_{tier}" for tier in TIERS for count in VISIT_COUNTS
]
NEW_FIGURES = [*COMMITMENT_FIGURES, *VISIT_FIGURES]


def _visits_field(string, help_text=None):
    return fields.Integer(string=string, readonly=True, help=help_text)


class HelpdeskServiceSummary(models.Model):
    _inherit = "helpdesk.service.summary"

    enquiry_response_compliance = fields.Float(
        string="SLA Compliance, Pre-sale Enquiry Response (%)",
        readonly=True,
        aggregator="avg",
        help="Pre-sale requests answered within the enquiry response of their "
        "agreement, out of those answered or overdue.",
    )
    plan_proposal_compliance = fields.Float(
        string="SLA Compliance, Plan Proposal (%)",
        readonly=True,
        aggregator="avg",
        help="Service plans that passed the manager's review within the plan "
        "proposal target after the confirmed need, out of the clocks met or "
        "breached.",
    )
    feedback_answer_compliance = fields.Float(
        string="SLA Compliance, Feedback Answer (%)",
        readonly=True,
        aggregator="avg",
        help="Customer feedback answered within the feedback answer target, out "
        "of the clocks met or breached.",
    )
    visits_due = _visits_field(
        "Follow-up Visits Due", "Follow-up visits due in the period."
    )
    visits_done = _visits_field(
        "Follow-up Visits Done", "Visits due in the period and recorded as held."
    )
    visits_late = _visits_field(
        "Follow-up Visits Late",
        "Visits due in the period and missed, or held after their due date.",
    )
    visits_due_large = _visits_field("Visits Due, Large Customers")
    visits_done_large = _visits_field("Visits Done, Large Customers")
    visits_late_large = _visits_field("Visits Late, Large Customers")
    visits_due_medium = _visits_field("Visits Due, Medium Customers")
    visits_done_medium = _visits_field("Visits Done, Medium Customers")
    visits_late_medium = _visits_field("Visits Late, Medium Customers")
    visits_due_small = _visits_field("Visits Due, Small Customers")
    visits_done_small = _visits_field("Visits Done, Small Customers")
    visits_late_small = _visits_field("Visits Late, Small Customers")

    # ------------------------------------------------------------------
    # The records each figure counts
    # ------------------------------------------------------------------

    def _figure_domains(self, start, end, served_partners=None):
        domains = super()._figure_domains(start, end, served_partners)
        company = Domain("company_id", "=", self.company_id.id)
        clocks = (
            company
            & self._scope("team_id", "commercial_partner_id")
            & self._in("date_start", start, end)
            & (Domain("response_met", "=", 1) | Domain("response_breached", "=", 1))
        )
        for fname, (target, _reason) in COMMITMENT_FIGURES.items():
            domain = clocks & Domain("target", "=", target)
            if target == "level":
                domain &= Domain("ticket_id.request_type", "=", "pre_sale")
            domains[fname] = ("helpdesk.sla.report", domain)
        visits = (
            Domain("kind", "=", "visit")
            & company
            & self._visit_scope()
            & Domain("date_due", ">=", start.date())
            & Domain("date_due", "<", end.date())
        )
        counts = {
            "due": Domain.TRUE,
            "done": Domain("state", "=", "done"),
            "late": Domain("state", "=", "late") | Domain("done_late", "=", True),
        }
        for count, domain in counts.items():
            domains[f"visits_{count}"] = ("helpdesk.service.visit", visits & domain)
            for tier in TIERS:
                domains[f"visits_{count}_{tier}"] = (
                    "helpdesk.service.visit",
                    visits & domain & Domain("tier", "=", tier),
                )
        return domains

    def _visit_scope(self):
        """The visits of the summary's team or customer; on the dashboard,
        those of its filters (an agreement's: those of its customer)."""
        filters = self._dashboard_filters()
        if filters is None:
            return self._scope("team_id", "partner_id")
        domain = Domain.TRUE
        if filters.get("team_id"):
            domain &= Domain("team_id", "=", filters["team_id"])
        if filters.get("partner_id"):
            domain &= Domain("partner_id", "=", filters["partner_id"])
        if filters.get("agreement_id"):
            agreement = self.env["agreement"].sudo().browse(filters["agreement_id"])
            domain &= Domain("partner_id", "=", agreement.commercial_partner_id.id)
        return domain

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    def _figure_parts(self, domains):
        return [*super()._figure_parts(domains), self._commitment_figures(domains)]

    def _commitment_figures(self, domains):
        """The three commitments' compliance (one grouped query over the
        SLA compliance analysis), the follow-up visits per tier (one)."""
        env = self.sudo().env
        either = Domain.OR(domains[fname][1] for fname in COMMITMENT_FIGURES)
        rows = {
            target: (met or 0, breached or 0)
            for target, met, breached in env["helpdesk.sla.report"]._read_group(
                either, ["target"], ["response_met:sum", "response_breached:sum"]
            )
        }
        figures, missing = {}, {}
        for fname, (target, reason) in COMMITMENT_FIGURES.items():
            met, breached = rows.get(target, (0, 0))
            figures[fname] = (
                round(100.0 * met / (met + breached), 2) if met + breached else 0.0
            )
            if not met + breached:
                missing[fname] = reason
        tiers = env["helpdesk.service.visit"]._tier_figures(domains["visits_due"][1])
        for count in VISIT_COUNTS:
            figures[f"visits_{count}"] = sum(row[count] for row in tiers.values())
        if not figures["visits_due"]:
            missing.update(visits_done="no_visit_due", visits_late="no_visit_due")
        for tier in TIERS:
            row = tiers.get(tier) or dict.fromkeys(VISIT_COUNTS, 0)
            for count in VISIT_COUNTS:
                figures[f"visits_{count}_{tier}"] = row[count]
            if not row["due"]:
                missing[f"visits_done_{tier}"] = "no_visit_due"
                missing[f"visits_late_{tier}"] = "no_visit_due"
        return dict(figures, figures_missing=missing)

    # ------------------------------------------------------------------
    # What the form and the PDF show
    # ------------------------------------------------------------------

    def _figure_reasons(self):
        reasons = super()._figure_reasons()
        if self.figures_date and not isinstance(self.figures_missing, dict):
            # computed before these figures existed
            reasons.update(dict.fromkeys(NEW_FIGURES, "not_computed"))
        return reasons

    def _figure_reason_labels(self):
        env = self.env
        return dict(
            super()._figure_reason_labels(),
            no_enquiry_clock=env._("no pre-sale enquiry response due"),
            no_plan_clock=env._("no plan proposal met or breached"),
            no_feedback_clock=env._("no feedback answer met or breached"),
            no_visit_due=env._("no follow-up visit due"),
        )
