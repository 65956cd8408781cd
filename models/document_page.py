# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape, is_html_empty

from .system_fields import check_system_fields, system_write

KNOWLEDGE_CATEGORY = "helpdesk_service_agreement.document_page_service_knowledge"
# the links back to the case are set by "Add to Knowledge Base" only
SOURCE_FIELDS = {"helpdesk_ticket_id", "helpdesk_postmortem_id"}


class DocumentPage(models.Model):
    """A page of OCA's knowledge base that a typical case became (知识库): the
    ticket or postmortem it came from and the helpdesk category it helps
    with; its history is the knowledge update record (知识库更新记录)."""

    _inherit = "document.page"

    helpdesk_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Source Ticket",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    helpdesk_postmortem_id = fields.Many2one(
        comodel_name="helpdesk.ticket.postmortem",
        string="Source Postmortem",
        readonly=True,
        ondelete="set null",
    )
    helpdesk_category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category",
        index="btree_not_null",
        help="Tickets of this category show the page among their related articles.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, SOURCE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], SOURCE_FIELDS)
        return super().write(vals)

    @api.model
    def _service_knowledge_category(self):
        category = self.env.ref(KNOWLEDGE_CATEGORY, raise_if_not_found=False)
        if not category:
            raise UserError(
                self.env._(
                    "The 'Service Knowledge' category of the knowledge base is missing."
                )
            )
        return category

    @api.model
    def _knowledge_content(self, sections):
        """The page body: one heading and its text per (title, html) section,
        empty sections left out."""
        parts = []
        for title, body in sections:
            if body and not is_html_empty(body):
                parts.append(f"<h3>{html_escape(title)}</h3>{body}")
        return "".join(parts)

    @api.model
    def _create_from_service(self, name, ticket, sections, postmortem=None):
        """A page in Service Knowledge, pre-filled and linked back; the
        caller checked its right to the source."""
        category = self._service_knowledge_category()
        with system_write(*SOURCE_FIELDS):
            return self.create(
                {
                    "name": name,
                    "type": "content",
                    "parent_id": category.id,
                    "content": self._knowledge_content(sections),
                    "draft_name": "1.0",
                    "draft_summary": self.env._(
                        "Created from %(ticket)s", ticket=ticket.display_name
                    ),
                    "helpdesk_ticket_id": ticket.id,
                    "helpdesk_postmortem_id": postmortem.id if postmortem else False,
                    "helpdesk_category_id": ticket.category_id.id,
                    "company_id": ticket.company_id.id,
                }
            )

    def _open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "document.page",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
