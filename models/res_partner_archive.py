# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The customer's service archive seen from the partner: its smart button, the
# registration form's history, and the guard that keeps an archived customer.
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .helpdesk_service_archive_document import document_title


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_archive_count = fields.Integer(
        string="Service Archive", compute="_compute_service_archive_count"
    )

    @api.depends_context("uid")
    def _compute_service_archive_count(self):
        # the archives the user may open: the record rules decide
        Archive = self.env["helpdesk.service.archive"]
        if not Archive.has_access("read"):
            self.service_archive_count = 0
            return
        groups = Archive._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = dict(groups)
        for partner in self:
            partner.service_archive_count = counts.get(partner.commercial_partner_id, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_archived(self):
        archived = (
            self.env["helpdesk.service.archive"]
            .sudo()
            .search([("partner_id", "in", self.ids)], limit=1)
        )
        if archived:
            raise UserError(
                self.env._(
                    "%(customer)s has a service archive: a customer whose documents "
                    "are filed cannot be deleted (archive the contact instead).",
                    customer=archived.partner_id.display_name,
                )
            )

    def action_view_service_archive(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_archive_action"
        )
        archives = self.env["helpdesk.service.archive"].search(
            [("partner_id", "=", self.commercial_partner_id.id)]
        )
        if len(archives) == 1:
            action.update(
                {"res_id": archives.id, "view_mode": "form", "views": [(False, "form")]}
            )
        else:
            action["domain"] = [("id", "in", archives.ids)]
        return action

    def _archive_document_title(self):
        """The registration form is filed as the customer number and name."""
        self.ensure_one()
        return document_title(
            self.commercial_partner_id.customer_code, self.commercial_partner_id.name
        )

    def _registration_history(self):
        """The service history the registration form shows: the agreements
        and the ticket counts of the customer, read as superuser (the form
        is rendered for the archive)."""
        self.ensure_one()
        customer = self.commercial_partner_id.sudo()
        agreements = (
            self.env["agreement"]
            .sudo()
            .search(
                [("partner_id", "child_of", customer.id), ("is_template", "=", False)],
                order="start_date",
            )
        )
        Ticket = self.env["helpdesk.ticket"].sudo()
        domain = Domain("commercial_partner_id", "=", customer.id)
        return {
            "agreements": agreements,
            "ticket_count": Ticket.search_count(domain),
            "open_count": Ticket.search_count(
                domain & Domain("stage_id.closed", "=", False)
            ),
        }
