# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Typical cases become knowledge: a closed ticket (or its postmortem) gives a
# page of the knowledge base; a ticket shows the articles of its category.
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .document_page import KNOWLEDGE_CATEGORY


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    knowledge_page_ids = fields.One2many(
        comodel_name="document.page",
        inverse_name="helpdesk_ticket_id",
        string="Knowledge Articles",
        readonly=True,
    )
    related_knowledge_count = fields.Integer(
        string="Related Articles", compute="_compute_related_knowledge_count"
    )

    def _related_knowledge_domain(self):
        self.ensure_one()
        category = self.env.ref(KNOWLEDGE_CATEGORY, raise_if_not_found=False)
        return (
            Domain("type", "=", "content")
            & Domain("parent_id", "=", category.id if category else False)
            & (
                Domain("helpdesk_category_id", "=", self.category_id.id)
                if self.category_id
                else Domain("helpdesk_ticket_id", "=", self.id)
            )
        )

    @api.depends_context("uid")
    def _compute_related_knowledge_count(self):
        Page = self.env["document.page"]
        if not Page.has_access("read"):
            self.related_knowledge_count = 0
            return
        category = self.env.ref(KNOWLEDGE_CATEGORY, raise_if_not_found=False)
        groups = Page._read_group(
            [
                ("type", "=", "content"),
                ("parent_id", "=", category.id if category else False),
                ("helpdesk_category_id", "in", self.category_id.ids),
            ],
            ["helpdesk_category_id"],
            ["__count"],
        )
        counts = dict(groups)
        own = dict(
            Page._read_group(
                [
                    ("helpdesk_ticket_id", "in", self.ids),
                    ("helpdesk_category_id", "=", False),
                ],
                ["helpdesk_ticket_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.related_knowledge_count = counts.get(
                ticket.category_id, 0
            ) + own.get(ticket, 0)

    def action_view_related_knowledge(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Related Articles"),
            "res_model": "document.page",
            "view_mode": "kanban,list,form",
            "domain": list(self._related_knowledge_domain()),
        }

    def action_add_to_knowledge_base(self):
        """A page pre-filled with the problem and its solution, linked back
        to the ticket; the ticket's own page when it already has one."""
        self.ensure_one()
        self.check_access("write")
        if not self.stage_id.closed:
            raise UserError(
                self.env._(
                    "Only a closed ticket becomes a knowledge article: close it first."
                )
            )
        if self.knowledge_page_ids:
            return self.knowledge_page_ids[:1]._open_form()
        postmortem = (
            self.env["helpdesk.ticket.postmortem"]
            .sudo()
            .search([("ticket_id", "=", self.id), ("state", "=", "done")], limit=1)
        )
        replies = self._problem_record_replies().filtered(
            lambda message: message.author_id.user_ids.filtered(
                lambda user: not user.share
            )
        )
        solution = postmortem.corrective_actions if postmortem else replies[-1:].body
        page = self.env["document.page"]._create_from_service(
            self.name,
            self,
            [
                (self.env._("Problem"), self.description),
                (self.env._("Root Cause"), postmortem.root_cause),
                (self.env._("Solution"), solution),
                (self.env._("Prevention"), postmortem.preventive_actions),
            ],
            postmortem=postmortem,
        )
        self.message_post(
            body=self.env._("Added to the knowledge base: %(page)s", page=page.name),
            subtype_xmlid="mail.mt_note",
        )
        return page._open_form()
