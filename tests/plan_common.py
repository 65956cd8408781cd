# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import date

from odoo.fields import Command

from .acceptance_common import AcceptanceCommon, signature_png

PLAN = "helpdesk.service.plan"


class PlanCommon(AcceptanceCommon):
    """The acceptance fixtures (a customer under an agreement, two tickets
    in the agent's team) and service plans written by the agent."""

    @contextmanager
    def _refused(self, exception, regex):
        """Odoo's assertRaises (rolled back to a savepoint: nothing written)
        with the message checked."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    @classmethod
    def _plan(cls, tickets=None, user=None, **vals):
        """A draft plan with goals, content, two milestones and two
        deliverables with their standards, written by the agent."""
        values = {
            "title": "Office printers replacement",
            "ticket_ids": [Command.set((tickets or cls.ticket).ids)],
            "goals": "<p>Every floor prints again.</p>",
            "content": "<p>Replace the fusers, test each printer.</p>",
            "provider_duties": "<p>Supply and fit the parts.</p>",
            "customer_duties": "<p>Give access to the printer rooms.</p>",
            "date_start": date(2026, 3, 1),
            "date_end": date(2026, 3, 31),
            "report_cadence": "weekly",
            "milestone_ids": [
                Command.create(
                    {"sequence": 1, "name": "Parts ordered", "date": date(2026, 3, 5)}
                ),
                Command.create(
                    {"sequence": 2, "name": "Printers fixed", "date": date(2026, 3, 20)}
                ),
            ],
            "deliverable_ids": [
                Command.create(
                    {
                        "sequence": 1,
                        "name": "Fuser replaced",
                        "description": "<p>On the three printers of floor 2.</p>",
                        "acceptance_standard": "Prints 20 pages a minute.",
                        "date_planned": date(2026, 3, 20),
                    }
                ),
                Command.create(
                    {
                        "sequence": 2,
                        "name": "Test report",
                        "acceptance_standard": "Signed by the customer's IT lead.",
                    }
                ),
            ],
        }
        values.update(vals)
        plan = cls.env[PLAN].with_user(user or cls.agent).create(values)
        plan.sudo().write({"fee_amount": 98765.43, "payment_terms": "Net 30 days"})
        return plan.with_user(cls.env.user)

    @classmethod
    def _approved(cls, tickets=None, **vals):
        plan = cls._plan(tickets, **vals)
        plan.with_user(cls.agent).action_submit()
        plan.with_user(cls.manager).action_approve()
        return plan

    @classmethod
    def _sent_plan(cls, tickets=None, **vals):
        plan = cls._approved(tickets, **vals)
        plan.with_user(cls.agent).action_send()
        return plan

    @classmethod
    def _confirmed(cls, tickets=None, **vals):
        plan = cls._sent_plan(tickets, **vals)
        plan.sudo()._portal_confirm("Wang Wei", signature_png(), cls.contact)
        return plan
