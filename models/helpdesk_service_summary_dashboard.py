# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The summary's figures over the manager dashboard's filters: any of a team, a
# customer and an agreement, or the whole company. The dashboard computes its
# tiles with an unsaved summary (``new``) carrying the filters in its context,
# so that every figure is the summary's own computation over the same domains.
from odoo import models
from odoo.fields import Domain

DASHBOARD_FILTERS = "service_dashboard_filters"


class HelpdeskServiceSummary(models.Model):
    _inherit = "helpdesk.service.summary"

    def _dashboard_filters(self):
        """{"team_id", "partner_id", "agreement_id"} of the dashboard that
        computes with this summary, else None (a summary of its own)."""
        return self.env.context.get(DASHBOARD_FILTERS)

    def _scope(self, team_path, partner_path):
        filters = self._dashboard_filters()
        if filters is None:
            return super()._scope(team_path, partner_path)
        domain = Domain.TRUE
        if filters.get("team_id"):
            domain &= Domain(team_path, "=", filters["team_id"])
        if filters.get("partner_id"):
            domain &= Domain(partner_path, "=", filters["partner_id"])
        if filters.get("agreement_id"):
            # the agreement sits beside the team on every model in scope
            agreement_path = team_path.removesuffix("team_id") + "agreement_id"
            domain &= Domain(agreement_path, "=", filters["agreement_id"])
        return domain

    def _acceptance_scope(self):
        if self._dashboard_filters() is None:
            return super()._acceptance_scope()
        return self._scope("ticket_ids.team_id", "partner_id")

    def _agreement_scope(self, served_partners):
        filters = self._dashboard_filters()
        if filters is None:
            return super()._agreement_scope(served_partners)
        domain = Domain.TRUE
        if filters.get("team_id"):
            domain &= Domain("commercial_partner_id", "in", served_partners or [])
        if filters.get("partner_id"):
            domain &= Domain("commercial_partner_id", "=", filters["partner_id"])
        if filters.get("agreement_id"):
            domain &= Domain("id", "=", filters["agreement_id"])
        return domain

    def _served_partners_query(self, start, end):
        """On the dashboard: the ids of the customers the team served (one
        query), so that the drill-down's domain is the counted one."""
        filters = self._dashboard_filters()
        if filters is None:
            return super()._served_partners_query(start, end)
        if not filters.get("team_id"):
            return None
        rows = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                Domain("team_id", "=", filters["team_id"])
                & Domain("company_id", "=", self.company_id.id)
                & self._in("create_date", start, end),
                ["commercial_partner_id"],
            )
        )
        return [partner.id for [partner] in rows if partner]
