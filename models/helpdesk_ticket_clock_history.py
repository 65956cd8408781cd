# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A ticket's clock history as its customer reads it on the portal: per problem
# level, when the clock started, each pause with its reason and the working
# hours it held the clock, the resumes, the response and the resolution met or
# breached, and the deadlines. No user of the provider is named.
from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _portal_clock_history(self):
        """One dict per SLA clock of the ticket, oldest first: ``level``,
        ``state`` (labels in the reader's language), ``date_start``,
        ``date_end``, ``response_deadline``, ``resolution_deadline``,
        ``held_hours``, ``paused_hours`` and ``events`` (``date``, ``text``,
        ``outcome``: "met", "breached" or False), in time order. Called on the
        ticket the portal checked the access to (as superuser)."""
        self.ensure_one()
        env = self.env
        Phase = env["helpdesk.ticket.sla.phase"]
        levels = dict(Phase._fields["level"]._description_selection(env))
        states = dict(Phase._fields["state"]._description_selection(env))
        history = []
        for phase in self.sla_phase_ids.sorted(lambda p: (p.date_start, p.id)):
            level = levels.get(phase.level, "")
            events = [
                {
                    "date": phase.date_start,
                    "text": env._("Clock started at %(level)s", level=level),
                    "outcome": False,
                }
            ]
            for pause in phase.pause_ids.sorted(lambda p: (p.date_start, p.id)):
                events.append(
                    {
                        "date": pause.date_start,
                        "text": env._(
                            "Paused: %(reason)s",
                            reason=pause.stage_id.name or env._("reason not recorded"),
                        ),
                        "outcome": False,
                    }
                )
                if pause.date_end:
                    events.append(
                        {
                            "date": pause.date_end,
                            "text": env._(
                                "Resumed after %(hours)s working hours paused",
                                hours=f"{pause.paused_hours:.2f}",
                            ),
                            "outcome": False,
                        }
                    )
            events += phase._portal_target_events()
            if phase.date_end and not phase.resolution_date:
                events.append(
                    {
                        "date": phase.date_end,
                        "text": env._("Clock stopped at %(level)s", level=level),
                        "outcome": False,
                    }
                )
            history.append(
                {
                    "level": level,
                    "state": states.get(phase.state, ""),
                    "date_start": phase.date_start,
                    "date_end": phase.date_end,
                    "response_deadline": phase.response_deadline,
                    "resolution_deadline": phase.resolution_deadline,
                    "held_hours": f"{phase.consumed_hours:.2f}",
                    "paused_hours": f"{phase.paused_hours:.2f}",
                    "events": sorted(events, key=lambda event: event["date"]),
                }
            )
        return history
