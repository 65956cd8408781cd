# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A finished postmortem becomes knowledge: its root cause and actions.
from odoo import models
from odoo.exceptions import UserError


class HelpdeskTicketPostmortem(models.Model):
    _inherit = "helpdesk.ticket.postmortem"

    def action_add_to_knowledge_base(self):
        self.ensure_one()
        self.check_access("write")
        if self.state != "done":
            raise UserError(
                self.env._("Only a finished postmortem becomes a knowledge article.")
            )
        ticket = self.ticket_id
        existing = ticket.knowledge_page_ids.filtered(
            lambda page: page.helpdesk_postmortem_id == self
        )
        if existing:
            return existing[:1]._open_form()
        page = self.env["document.page"]._create_from_service(
            ticket.name,
            ticket,
            [
                (self.env._("Problem"), ticket.description),
                (self.env._("Impact"), self.impact),
                (self.env._("Root Cause"), self.root_cause),
                (self.env._("Solution"), self.corrective_actions),
                (self.env._("Prevention"), self.preventive_actions),
            ],
            postmortem=self,
        )
        return page._open_form()
