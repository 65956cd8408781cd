# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The figures of a service summary, each an aggregate the database computes
# over the period's records: a fixed number of queries per summary, whatever
# the number of tickets. Each figure counts the records of one domain
# (:meth:`_figure_domains`), the same one its drill-down opens; a figure
# without data (no answer, no agreement due, no response) records why, and
# reads "—" with that reason instead of a zero.
from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.fields import Domain

from .document_page import KNOWLEDGE_CATEGORY
from .helpdesk_service_summary import FIGURE_NAMES, FIGURE_RECORDS
from .system_fields import system_write


def _rate(part, whole):
    return round(100.0 * part / whole, 2) if whole else 0.0


class HelpdeskServiceSummary(models.Model):
    _inherit = "helpdesk.service.summary"

    def _period(self):
        """The period as datetimes: [first day 00:00, day after the last)."""
        self.ensure_one()
        start = datetime.combine(self.date_start, time.min)
        end = datetime.combine(self.date_end + timedelta(days=1), time.min)
        return start, end

    def _scope(self, team_path, partner_path):
        """The domain restricting records to the summary's team or customer,
        ``team_path`` and ``partner_path`` leading to them from the model."""
        self.ensure_one()
        if self.scope == "team":
            return Domain(team_path, "=", self.team_id.id)
        return Domain(partner_path, "=", self.partner_id.commercial_partner_id.id)

    @staticmethod
    def _in(fname, start, end):
        return Domain(fname, ">=", start) & Domain(fname, "<", end)

    def _figure_domains(self, start, end, served_partners=None):
        """``{key: (model, domain)}``: the records each figure counts, keyed
        by the figure (or the group of figures) computed from them. The
        computation and the drill-down both read them. ``served_partners``:
        the customers a team served in the period, as ids or a subquery."""
        self.ensure_one()
        company = Domain("company_id", "=", self.company_id.id)
        tickets = company & self._scope("team_id", "commercial_partner_id")
        received = tickets & self._in("create_date", start, end)
        complaints = received & Domain("request_type", "=", "complaint")
        phases = (
            company
            & self._scope("team_id", "commercial_partner_id")
            & self._in("date_start", start, end)
            & Domain("target", "=", "level")
        )
        scope = self._scope("ticket_id.team_id", "ticket_id.commercial_partner_id")
        answered = (
            company & self._in("answer_date", start, end) & self._acceptance_scope()
        )
        category = self.env.ref(KNOWLEDGE_CATEGORY, raise_if_not_found=False)
        customers = self._agreement_scope(served_partners)
        due = (
            customers
            & company
            & Domain("is_template", "=", False)
            & Domain("state", "in", ("active", "expired", "terminated"))
            & Domain("end_date", ">=", start.date())
            & Domain("end_date", "<", end.date())
        )
        satisfaction = (
            company
            & self._scope("team_id", "partner_id")
            & Domain("state", "=", "answered")
            & self._in("date_answered", start, end)
        )
        levels = {
            f"compliance_level_{level}": (
                "helpdesk.sla.report",
                phases
                & Domain("level", "=", level)
                & (Domain("met", "=", 1) | Domain("breached", "=", 1)),
            )
            for level in ("1", "2", "3")
        }
        return {
            "tickets_received": ("helpdesk.ticket", received),
            "tickets_closed": (
                "helpdesk.ticket",
                tickets & self._in("closed_date", start, end),
            ),
            "complaint_count": ("helpdesk.ticket", complaints),
            # the clocks started in the period: medians over their responses
            # and resolutions
            "response_p50": ("helpdesk.sla.report", phases),
            "resolution_p50": ("helpdesk.sla.report", phases),
            **levels,
            "complaint_on_time_rate": (
                "helpdesk.sla.report",
                phases
                & Domain("ticket_id.request_type", "=", "complaint")
                & (
                    Domain("response_met", "=", 1) | Domain("response_breached", "=", 1)
                ),
            ),
            "escalation_count": (
                "helpdesk.ticket.escalation",
                company
                & scope
                & self._in("date", start, end)
                & Domain("direction", "=", "up"),
            ),
            "postmortem_count": (
                "helpdesk.ticket.postmortem",
                company & scope & self._in("create_date", start, end),
            ),
            "acceptance_count": (
                "helpdesk.service.acceptance",
                answered & Domain("state", "in", ("accepted", "rectify")),
            ),
            "rectification_count": (
                "helpdesk.service.acceptance",
                answered & Domain("state", "=", "rectify"),
            ),
            "acceptance_first_pass_rate": (
                "helpdesk.service.acceptance",
                answered & Domain("state", "=", "accepted"),
            ),
            "knowledge_added": (
                "document.page",
                Domain("parent_id", "=", category.id if category else False)
                & self._in("create_date", start, end)
                & self._scope(
                    "helpdesk_ticket_id.team_id",
                    "helpdesk_ticket_id.commercial_partner_id",
                ),
            ),
            "agreements_due": ("agreement", due),
            "agreements_renewed": (
                "agreement",
                due & Domain("successor_id", "!=", False),
            ),
            "satisfaction_count": ("helpdesk.service.satisfaction", satisfaction),
        }

    def _acceptance_scope(self):
        """The acceptances of the summary's team (by their tickets) or customer."""
        self.ensure_one()
        if self.scope == "team":
            return Domain("ticket_ids.team_id", "=", self.team_id.id)
        return Domain("partner_id", "=", self.partner_id.commercial_partner_id.id)

    def _agreement_scope(self, served_partners):
        """The agreements of the summary's customer, or of the customers its
        team served (``served_partners``)."""
        self.ensure_one()
        if self.scope == "customer":
            return Domain(
                "commercial_partner_id", "=", self.partner_id.commercial_partner_id.id
            )
        return Domain("commercial_partner_id", "in", served_partners or [])

    def _served_partners_query(self, start, end):
        """The customers the summary's team served in the period (a subquery)."""
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            ._search(
                Domain("team_id", "=", self.team_id.id)
                & self._in("create_date", start, end)
            )
            .subselect("commercial_partner_id")
        )

    def _compute_figures(self):
        values = {summary: summary._figures() for summary in self}
        with system_write(*(set(next(iter(values.values()), {})) | {"figures_date"})):
            now = fields.Datetime.now()
            for summary, figures in values.items():
                summary.sudo().write(dict(figures, figures_date=now))

    def _figures(self):
        """Every figure of the summary (as superuser: the summary's readers
        see the figures, not the records behind them), and under
        ``figures_missing`` the figures without data with the reason."""
        self.ensure_one()
        summary = self.sudo()
        start, end = summary._period()
        served = (
            summary._served_partners_query(start, end) if self.scope == "team" else None
        )
        domains = summary._figure_domains(start, end, served)
        Ticket = summary.env["helpdesk.ticket"].with_context(active_test=False)
        received = Ticket.search_count(domains["tickets_received"][1])
        closed = Ticket.search_count(domains["tickets_closed"][1])
        complaints = Ticket.search_count(domains["complaint_count"][1])
        figures = {
            "tickets_received": received,
            "tickets_closed": closed,
            "complaint_count": complaints,
            "complaint_rate": _rate(complaints, received),
        }
        missing = {} if received else {"complaint_rate": "no_tickets"}
        for part in summary._figure_parts(domains):
            missing.update(part.pop("figures_missing", {}))
            figures.update(part)
        figures["figures_missing"] = missing
        return figures

    def _figure_parts(self, domains):
        """The groups of figures computed from ``domains``, each a dict of
        figures with its ``figures_missing``."""
        return [
            self._sla_figures(domains),
            self._workflow_figures(domains),
            self._agreement_figures(domains),
            self._satisfaction_figures(domains),
        ]

    def _sla_figures(self, domains):
        """Response and resolution times (working hours, median and 90th
        percentile), compliance per level, complaints answered on time: from
        the SLA compliance analysis of the clocks started in the period."""
        Report = self.env["helpdesk.sla.report"].sudo()
        phases = domains["response_p50"][1]
        overall = Report._get_compliance_figures(phases)[0]
        by_level = {
            row["level"]: row
            for row in Report._get_compliance_figures(phases, groupby=["level"])
        }
        complaint_rows = Report._read_group(
            domains["complaint_on_time_rate"][1],
            [],
            ["response_met:sum", "response_breached:sum"],
        )
        met, breached = complaint_rows[0] if complaint_rows else (0, 0)
        met, breached = met or 0, breached or 0
        figures = {
            fname: overall[fname] or 0.0
            for fname in (
                "response_p50",
                "response_p90",
                "resolution_p50",
                "resolution_p90",
            )
        }
        figures["complaint_on_time_rate"] = _rate(met, met + breached)
        missing = {
            fname: reason
            for fname, reason in (
                ("response_p50", "no_response"),
                ("response_p90", "no_response"),
                ("resolution_p50", "no_resolution"),
                ("resolution_p90", "no_resolution"),
            )
            if overall[fname] is None
        }
        if not met + breached:
            missing["complaint_on_time_rate"] = "no_complaint_clock"
        for level in ("1", "2", "3"):
            compliance = by_level.get(level, {}).get("compliance")
            figures[f"compliance_level_{level}"] = round(compliance or 0.0, 2)
            if compliance is None:
                missing[f"compliance_level_{level}"] = "no_clock"
        return dict(figures, figures_missing=missing)

    def _workflow_figures(self, domains):
        env = self.sudo().env
        escalations = env["helpdesk.ticket.escalation"].search_count(
            domains["escalation_count"][1]
        )
        postmortems = env["helpdesk.ticket.postmortem"].search_count(
            domains["postmortem_count"][1]
        )
        rows = env["helpdesk.service.acceptance"]._read_group(
            domains["acceptance_count"][1], ["state", "round"], ["__count"]
        )
        accepted = sum(count for state, _round, count in rows if state == "accepted")
        first_pass = sum(
            count
            for state, round_, count in rows
            if state == "accepted" and round_ == 1
        )
        rectified = sum(count for state, _round, count in rows if state == "rectify")
        knowledge = env["document.page"].search_count(domains["knowledge_added"][1])
        return {
            "escalation_count": escalations,
            "postmortem_count": postmortems,
            "acceptance_count": accepted + rectified,
            "acceptance_first_pass_rate": _rate(first_pass, accepted),
            "rectification_count": rectified,
            "knowledge_added": knowledge,
            "figures_missing": {}
            if accepted
            else {"acceptance_first_pass_rate": "no_acceptance"},
        }

    def _agreement_figures(self, domains):
        """Agreements of the customers in scope whose term ended in the
        period, and those of them renewed (a successor exists). A team's
        customers are those it served in the period."""
        rows = (
            self.env["agreement"]
            .sudo()
            ._read_group(
                domains["agreements_due"][1], [], ["__count", "successor_id:count"]
            )
        )
        due, renewed = rows[0] if rows else (0, 0)
        return {
            "agreements_due": due,
            "agreements_renewed": renewed,
            "renewal_rate": _rate(renewed, due),
            "figures_missing": {} if due else {"renewal_rate": "no_agreement_due"},
        }

    def _satisfaction_figures(self, domains):
        """The satisfaction survey's answers of the period."""
        scores = (
            "score_response_speed",
            "score_resolution",
            "score_communication",
            "recommend_rate",
        )
        rows = (
            self.env["helpdesk.service.satisfaction"]
            .sudo()
            ._read_group(
                domains["satisfaction_count"][1],
                [],
                ["__count", *(f"{fname}:avg" for fname in scores)],
            )
        )
        count = rows[0][0] if rows else 0
        if not count:
            return dict(
                dict.fromkeys(scores, 0.0),
                satisfaction_count=0,
                figures_missing=dict.fromkeys(scores, "no_answers"),
            )
        return dict(
            {
                fname: round(value or 0.0, 2)
                for fname, value in zip(scores, rows[0][1:], strict=True)
            },
            satisfaction_count=count,
        )

    # ------------------------------------------------------------------
    # What the form and the PDF show
    # ------------------------------------------------------------------

    def _figure_reasons(self):
        """{figure: reason} of the figures without data: as recorded when
        the figures were computed, or, for figures computed before the
        reasons were recorded, from the counts beside them."""
        self.ensure_one()
        if not self.figures_date:
            return dict.fromkeys(
                (f for f in FIGURE_NAMES if self._fields[f].type == "float"),
                "not_computed",
            )
        # a Json column never written (NULL) reads False, not None
        if isinstance(self.figures_missing, dict):
            return dict(self.figures_missing)
        reasons = {}
        if not self.tickets_received:
            reasons["complaint_rate"] = "no_tickets"
        if not self.satisfaction_count:
            reasons.update(
                dict.fromkeys(
                    (
                        "score_response_speed",
                        "score_resolution",
                        "score_communication",
                        "recommend_rate",
                    ),
                    "no_answers",
                )
            )
        if not self.agreements_due:
            reasons["renewal_rate"] = "no_agreement_due"
        if self.acceptance_count == self.rectification_count:
            reasons["acceptance_first_pass_rate"] = "no_acceptance"
        return reasons

    def _figure_reason_labels(self):
        env = self.env
        return {
            "not_computed": env._("figures not computed yet"),
            "no_tickets": env._("no tickets"),
            "no_response": env._("no response"),
            "no_resolution": env._("no ticket resolved"),
            "no_clock": env._("no clock met or breached"),
            "no_complaint_clock": env._("no complaint response due"),
            "no_acceptance": env._("no acceptance accepted"),
            "no_answers": env._("no answers"),
            "no_agreement_due": env._("no agreement due"),
        }

    def action_open_figure(self, fname):
        """The records ``fname`` counts, with the domain it counted them."""
        self.ensure_one()
        self.check_access("read")
        key = FIGURE_RECORDS.get(fname, fname)
        start, end = self._period()
        served = None
        if self.scope == "team" and key.startswith("agreements"):
            served = [
                partner.id
                for [partner] in self.env["helpdesk.ticket"]
                .sudo()
                .with_context(active_test=False)
                ._read_group(
                    Domain("team_id", "=", self.team_id.id)
                    & self._in("create_date", start, end),
                    ["commercial_partner_id"],
                )
                if partner
            ]
        domains = self._figure_domains(start, end, served)
        if key not in domains:
            return False
        model, domain = domains[key]
        action = {
            "type": "ir.actions.act_window",
            "name": self._fields[fname]._description_string(self.env),
            "res_model": model,
            "domain": [
                (
                    (term[0], term[1], fields.Datetime.to_string(term[2]))
                    if isinstance(term, tuple) and isinstance(term[2], datetime)
                    else term
                )
                for term in list(domain)
            ],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False, "active_test": False},
            "target": "current",
        }
        if model == "helpdesk.sla.report":
            action["views"] = [(False, "list"), (False, "pivot")]
        return action
