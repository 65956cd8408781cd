# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An agreement is filed in its customer's service archive as it stood when it
# came into force (signed and activated), and again when it ends (expires or
# is terminated) or is renewed.
from odoo import models
from odoo.fields import Domain

from .helpdesk_service_archive_document import document_title


class Agreement(models.Model):
    _inherit = "agreement"

    def _archive_enqueue(self, event):
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "agreement",
                    agreement,
                    f"agreement:{agreement.id}:{event}",
                    agreement.commercial_partner_id,
                    agreement.company_id,
                    False,
                )
                for agreement in self.sudo()
                if agreement.commercial_partner_id and not agreement.is_template
            ]
        )

    def _archive_document_title(self):
        """Filed as its number and customer (SA2026-0001 ...)."""
        self.ensure_one()
        return document_title(self.code, self.commercial_partner_id.name)

    def action_activate(self):
        result = super().action_activate()
        self._archive_enqueue_activation()
        return result

    def _archive_enqueue_activation(self):
        """File the signed agreement as it comes into force: the customer's
        archive holds what was signed. An agreement put back to draft and
        activated again is filed again (activated-2, ...), the earlier copy
        stays."""
        filed = dict(
            self.env["helpdesk.service.archive.request"]
            .sudo()
            ._read_group(
                Domain("res_model", "=", self._name)
                & Domain("res_id", "in", self.ids)
                & Domain("filing_key", "=like", "agreement:%:activated%"),
                ["res_id"],
                ["__count"],
            )
        )
        for agreement in self:
            count = filed.get(agreement.id, 0)
            agreement._archive_enqueue(
                f"activated-{count + 1}" if count else "activated"
            )

    def _renew(self, start_date, end_date):
        successors = super()._renew(start_date, end_date)
        self._archive_enqueue("renewed")
        return successors

    def _terminate(self, date, reason):
        result = super()._terminate(date, reason)
        self._archive_enqueue("terminated")
        return result

    def _expire(self):
        result = super()._expire()
        self._archive_enqueue("expired")
        return result
