# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The figures of a service summary, each an aggregate the database computes
# over the period's records: a fixed number of queries per summary, whatever
# the number of tickets.
from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.fields import Domain

from .document_page import KNOWLEDGE_CATEGORY
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

    def _compute_figures(self):
        values = {summary: summary._figures() for summary in self}
        with system_write(*(set(next(iter(values.values()), {})) | {"figures_date"})):
            now = fields.Datetime.now()
            for summary, figures in values.items():
                summary.sudo().write(dict(figures, figures_date=now))

    def _figures(self):
        """Every figure of the summary (as superuser: the summary's readers
        see the figures, not the records behind them)."""
        self.ensure_one()
        env = self.sudo().env
        start, end = self._period()
        company = Domain("company_id", "=", self.company_id.id)
        tickets = company & self._scope("team_id", "commercial_partner_id")
        Ticket = env["helpdesk.ticket"].with_context(active_test=False)
        received = Ticket.search_count(tickets & self._in("create_date", start, end))
        closed = Ticket.search_count(tickets & self._in("closed_date", start, end))
        complaints = Ticket.search_count(
            tickets
            & self._in("create_date", start, end)
            & Domain("request_type", "=", "complaint")
        )
        figures = {
            "tickets_received": received,
            "tickets_closed": closed,
            "complaint_count": complaints,
            "complaint_rate": _rate(complaints, received),
        }
        figures.update(self._sla_figures(start, end))
        figures.update(self._workflow_figures(start, end))
        figures.update(self._agreement_figures(start, end))
        figures.update(self._satisfaction_figures(start, end))
        return figures

    def _sla_figures(self, start, end):
        """Response and resolution times (working hours, median and 90th
        percentile), compliance per level, complaints answered on time: from
        the SLA compliance analysis of the clocks started in the period."""
        Report = self.env["helpdesk.sla.report"].sudo()
        phases = (
            Domain("company_id", "=", self.company_id.id)
            & self._scope("team_id", "commercial_partner_id")
            & self._in("date_start", start, end)
        )
        overall = Report._get_compliance_figures(phases)[0]
        by_level = {
            row["level"]: row
            for row in Report._get_compliance_figures(phases, groupby=["level"])
        }
        complaint_rows = Report._read_group(
            phases & Domain("ticket_id.request_type", "=", "complaint"),
            [],
            ["response_met:sum", "response_breached:sum"],
        )
        met, breached = complaint_rows[0] if complaint_rows else (0, 0)
        figures = {
            "response_p50": overall["response_p50"] or 0.0,
            "response_p90": overall["response_p90"] or 0.0,
            "resolution_p50": overall["resolution_p50"] or 0.0,
            "resolution_p90": overall["resolution_p90"] or 0.0,
            "complaint_on_time_rate": _rate(met or 0, (met or 0) + (breached or 0)),
        }
        for level in ("1", "2", "3"):
            compliance = by_level.get(level, {}).get("compliance")
            figures[f"compliance_level_{level}"] = round(compliance or 0.0, 2)
        return figures

    def _workflow_figures(self, start, end):
        env = self.sudo().env
        company = Domain("company_id", "=", self.company_id.id)
        scope = self._scope("ticket_id.team_id", "ticket_id.commercial_partner_id")
        escalations = env["helpdesk.ticket.escalation"].search_count(
            company
            & scope
            & self._in("date", start, end)
            & Domain("direction", "=", "up")
        )
        postmortems = env["helpdesk.ticket.postmortem"].search_count(
            company & scope & self._in("create_date", start, end)
        )
        answered = company & self._in("answer_date", start, end)
        answered &= (
            Domain("ticket_ids.team_id", "=", self.team_id.id)
            if self.scope == "team"
            else Domain("partner_id", "=", self.partner_id.commercial_partner_id.id)
        )
        rows = env["helpdesk.service.acceptance"]._read_group(
            answered & Domain("state", "in", ("accepted", "rectify")),
            ["state", "round"],
            ["__count"],
        )
        accepted = sum(count for state, _round, count in rows if state == "accepted")
        first_pass = sum(
            count
            for state, round_, count in rows
            if state == "accepted" and round_ == 1
        )
        rectified = sum(count for state, _round, count in rows if state == "rectify")
        category = env.ref(KNOWLEDGE_CATEGORY, raise_if_not_found=False)
        knowledge = env["document.page"].search_count(
            Domain("parent_id", "=", category.id if category else False)
            & self._in("create_date", start, end)
            & self._scope(
                "helpdesk_ticket_id.team_id",
                "helpdesk_ticket_id.commercial_partner_id",
            )
        )
        return {
            "escalation_count": escalations,
            "postmortem_count": postmortems,
            "acceptance_count": accepted + rectified,
            "acceptance_first_pass_rate": _rate(first_pass, accepted),
            "rectification_count": rectified,
            "knowledge_added": knowledge,
        }

    def _agreement_figures(self, start, end):
        """Agreements of the customers in scope whose term ended in the
        period, and those of them renewed (a successor exists). A team's
        customers are those it served in the period."""
        env = self.sudo().env
        if self.scope == "customer":
            customers = Domain(
                "commercial_partner_id", "=", self.partner_id.commercial_partner_id.id
            )
        else:
            served = env["helpdesk.ticket"]._search(
                Domain("team_id", "=", self.team_id.id)
                & self._in("create_date", start, end)
            )
            customers = Domain(
                "commercial_partner_id",
                "in",
                served.subselect("commercial_partner_id"),
            )
        rows = env["agreement"]._read_group(
            customers
            & Domain("company_id", "=", self.company_id.id)
            & Domain("is_template", "=", False)
            & Domain("state", "in", ("active", "expired", "terminated"))
            & Domain("end_date", ">=", start.date())
            & Domain("end_date", "<", end.date()),
            [],
            ["__count", "successor_id:count"],
        )
        due, renewed = rows[0] if rows else (0, 0)
        return {
            "agreements_due": due,
            "agreements_renewed": renewed,
            "renewal_rate": _rate(renewed, due),
        }

    def _satisfaction_figures(self, start, end):
        """The satisfaction survey's answers of the period, when the survey
        is part of the addon."""
        empty = {
            "satisfaction_count": 0,
            "score_response_speed": 0.0,
            "score_resolution": 0.0,
            "score_communication": 0.0,
            "recommend_rate": 0.0,
        }
        if "helpdesk.service.satisfaction" not in self.env:
            return empty
        Satisfaction = self.env["helpdesk.service.satisfaction"].sudo()
        rows = Satisfaction._read_group(
            Domain("company_id", "=", self.company_id.id)
            & self._scope("team_id", "partner_id")
            & Domain("state", "=", "answered")
            & self._in("date_answered", start, end),
            [],
            [
                "__count",
                "score_response_speed:avg",
                "score_resolution:avg",
                "score_communication:avg",
                "recommend_rate:avg",
            ],
        )
        if not rows or not rows[0][0]:
            return empty
        count, speed, resolution, communication, recommend = rows[0]
        return {
            "satisfaction_count": count,
            "score_response_speed": round(speed or 0.0, 2),
            "score_resolution": round(resolution or 0.0, 2),
            "score_communication": round(communication or 0.0, 2),
            "recommend_rate": round(recommend or 0.0, 2),
        }
