# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketSlaPhase(models.Model):
    _inherit = "helpdesk.ticket.sla.phase"

    def _portal_target_events(self):
        """The clock's response and resolution, met or breached, as events of
        the customer's clock history (see helpdesk.ticket's
        ``_portal_clock_history``)."""
        self.ensure_one()
        env = self.env
        events = []
        if self.response_date:
            breached = bool(
                self.response_breached
                or (
                    self.response_deadline
                    and self.response_date > self.response_deadline
                )
            )
            events.append(
                {
                    "date": self.response_date,
                    "text": env._("First response: deadline missed")
                    if breached
                    else env._("First response: in time"),
                    "outcome": "breached" if breached else "met",
                }
            )
        elif self.response_breached and self.response_deadline:
            events.append(
                {
                    "date": self.response_deadline,
                    "text": env._("Response deadline missed"),
                    "outcome": "breached",
                }
            )
        if self.resolution_date:
            breached = bool(
                self.resolution_breached
                or (
                    self.resolution_deadline
                    and self.resolution_date > self.resolution_deadline
                )
            )
            events.append(
                {
                    "date": self.resolution_date,
                    "text": env._("Resolved: deadline missed")
                    if breached
                    else env._("Resolved in time"),
                    "outcome": "breached" if breached else "met",
                }
            )
        elif self.resolution_breached and self.resolution_deadline:
            events.append(
                {
                    "date": self.resolution_deadline,
                    "text": env._("Resolution deadline missed"),
                    "outcome": "breached",
                }
            )
        return events
