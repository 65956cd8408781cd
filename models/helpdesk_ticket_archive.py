# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A closed ticket is filed in its customer's service archive: its problem
# record (a complaint's record for a complaint); the archivist may file one by
# hand at any time.
from odoo import fields, models

from .helpdesk_service_archive_document import document_title


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def write(self, vals):
        closing = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].sudo().browse(vals["stage_id"])
            if stage.closed:
                closing = self.filtered(lambda ticket: not ticket.stage_id.closed)
        result = super().write(vals)
        if closing:
            closing._archive_enqueue()
        return result

    def _archive_enqueue(self, manual=False):
        """Queue the problem records of the tickets: one version per closing
        (or per filing by hand)."""
        now = fields.Datetime.to_string(fields.Datetime.now())
        entries = []
        for ticket in self.sudo():
            document_type = (
                "complaint" if ticket.request_type == "complaint" else "problem_record"
            )
            stamp = (
                f"manual:{now}"
                if manual
                else fields.Datetime.to_string(ticket.closed_date) or now
            )
            entries.append(
                (
                    document_type,
                    ticket,
                    f"{document_type}:{ticket.id}:{stamp}",
                    ticket.commercial_partner_id,
                    ticket.company_id,
                    ticket.team_id,
                )
            )
        return self.env["helpdesk.service.archive.request"]._enqueue(entries)

    def _archive_document_title(self):
        """Filed as its number and customer (HT00020 ...)."""
        self.ensure_one()
        return document_title(self.number, self.commercial_partner_id.name)

    def action_file_in_archive(self):
        """File the tickets' problem records now (archivist)."""
        self.env["helpdesk.service.archive.request"]._check_archivist()
        self.check_access("read")
        self._archive_enqueue(manual=True)._file()
        return True

    def _problem_record_replies(self):
        """The public exchanges with the customer (no internal note), oldest
        first, for the problem record."""
        self.ensure_one()
        comment = self.env.ref("mail.mt_comment")
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ("comment", "email")),
                    ("subtype_id", "=", comment.id),
                ],
                order="date, id",
            )
        )
