# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain

# SLA health counters of the team dashboard: (counter field, kind)
SLA_HEALTH_COUNTERS = [
    ("sla_breached_ticket_count", "breached"),
    ("sla_at_risk_ticket_count", "at_risk"),
    ("sla_due_today_ticket_count", "due_today"),
]


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    sla_breached_ticket_count = fields.Integer(
        string="SLA Breached Tickets",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        compute="_compute_sla_ticket_counts",
        help="Open tickets of the team that missed a response or resolution deadline.",
    )
    sla_at_risk_ticket_count = fields.Integer(
        string="SLA At Risk Tickets",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        compute="_compute_sla_ticket_counts",
        help="Open tickets of the team that consumed the at-risk share of a target.",
    )
    sla_due_today_ticket_count = fields.Integer(
        string="SLA Due Today Tickets",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        compute="_compute_sla_ticket_counts",
        help="Open tickets of the team with a running clock whose response or "
        "resolution deadline, still to meet, falls today in your time zone.",
    )

    @api.depends(
        "ticket_ids.stage_id",
        "ticket_ids.sla_state",
        "ticket_ids.sla_breached",
        "ticket_ids.sla_phase_id",
        "ticket_ids.response_deadline",
        "ticket_ids.resolution_deadline",
    )
    @api.depends_context("uid", "tz")
    def _compute_sla_ticket_counts(self):
        Ticket = self.env["helpdesk.ticket"]
        team_ids = self._origin.ids
        for fname, kind in SLA_HEALTH_COUNTERS:
            counts = {
                team.id: count
                for team, count in Ticket._read_group(
                    Domain("team_id", "in", team_ids) & self._sla_health_domain(kind),
                    groupby=["team_id"],
                    aggregates=["__count"],
                )
            }
            for team in self:
                team[fname] = counts.get(team._origin.id, 0)

    def action_open_sla_breached(self):
        return self._action_open_sla_tickets("breached")

    def action_open_sla_at_risk(self):
        return self._action_open_sla_tickets("at_risk")

    def action_open_sla_due_today(self):
        return self._action_open_sla_tickets("due_today")

    def _action_open_sla_tickets(self, kind):
        """The team's tickets of an SLA health counter, as a list."""
        self.ensure_one()
        titles = {
            "breached": self.env._("%(team)s: SLA breached", team=self.display_name),
            "at_risk": self.env._("%(team)s: SLA at risk", team=self.display_name),
            "due_today": self.env._("%(team)s: due today", team=self.display_name),
        }
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_mgmt.action_helpdesk_ticket_kanban_from_dashboard"
        )
        action.update(
            {
                "name": titles[kind],
                "domain": list(
                    Domain("team_id", "=", self.id) & self._sla_health_domain(kind)
                ),
                "context": {"default_team_id": self.id},
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    def _sla_health_domain(self, kind):
        """The open tickets of an SLA health counter: ``breached`` (a missed
        deadline), ``at_risk`` or ``due_today`` (a deadline still to meet
        today, in the user's time zone: relative dates are read in it)."""
        open_tickets = Domain("stage_id.closed", "=", False)
        if kind == "breached":
            return open_tickets & (
                Domain("sla_state", "=", "breached") | Domain("sla_breached", "=", True)
            )
        if kind == "at_risk":
            return open_tickets & Domain("sla_state", "=", "at_risk")
        today, tomorrow = "today", "today +1d"
        response_due = (
            Domain("response_deadline", ">=", today)
            & Domain("response_deadline", "<", tomorrow)
            & Domain("sla_phase_id.response_date", "=", False)
            & Domain("sla_phase_id.response_breached", "=", False)
        )
        resolution_due = (
            Domain("resolution_deadline", ">=", today)
            & Domain("resolution_deadline", "<", tomorrow)
            & Domain("sla_phase_id.resolution_breached", "=", False)
        )
        return (
            open_tickets
            & Domain("sla_phase_id.state", "=", "running")
            & (response_due | resolution_due)
        )
