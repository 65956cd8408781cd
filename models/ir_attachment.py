# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .helpdesk_service_evidence_mixin import EVIDENCE_FILES
from .system_fields import is_system_write

FILED_MODEL = "helpdesk.service.archive.document"
FILING = "helpdesk_service_archive_filing"
EVIDENCE_MIXIN = "helpdesk.service.evidence.mixin"
# what Odoo itself writes on any file: the token of a portal link to it
BOOKKEEPING_FIELDS = frozenset({"access_token"})


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _is_evidence_model(self, model_name):
        return (
            bool(model_name)
            and model_name in self.env
            and isinstance(self.env[model_name], self.env.registry[EVIDENCE_MIXIN])
        )

    def _evidence_guard_lifted(self):
        return is_system_write(EVIDENCE_FILES) or (
            self.env.su and self.env.context.get(MODULE_UNINSTALL_FLAG)
        )

    def _check_not_evidence(self):
        """The files of a final record (a signed form, a confirmed plan, a
        filed archive document...) are as final as the record: nobody changes
        or deletes them, superuser included. Reads the binding from the cache
        (one query at most), and the records' state only for the files bound
        to a model that keeps evidence."""
        if self._evidence_guard_lifted():
            return
        by_model = defaultdict(set)
        # the guard concerns the data, whoever asks
        for attachment in self.sudo():
            if attachment.res_id and self._is_evidence_model(attachment.res_model):
                by_model[attachment.res_model].add(attachment.res_id)
        for model_name, res_ids in by_model.items():
            final = self.env[model_name].browse(res_ids)._evidence_final()
            if final:
                raise UserError(
                    self.env._(
                        "The files of %(record)s are part of the evidence: it is "
                        "final, and nobody changes or deletes them.",
                        record=", ".join(final.sudo().mapped("display_name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # only the filing itself attaches a file to a filed document
        if not is_system_write(FILING) and any(
            vals.get("res_model") == FILED_MODEL for vals in vals_list
        ):
            raise UserError(
                self.env._("Files enter the service archive by filing only.")
            )
        # a final record's binary fields take no second file
        if not self._evidence_guard_lifted():
            by_model = defaultdict(set)
            for vals in vals_list:
                if (
                    vals.get("res_field")
                    and vals.get("res_id")
                    and self._is_evidence_model(vals.get("res_model"))
                ):
                    by_model[vals["res_model"]].add(vals["res_id"])
            for model_name, res_ids in by_model.items():
                final = self.env[model_name].browse(res_ids)._evidence_final()
                if final:
                    raise UserError(
                        self.env._(
                            "The files of %(record)s are part of the evidence: it "
                            "is final, and nobody changes or deletes them.",
                            record=", ".join(final.sudo().mapped("display_name")),
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if self.ids and set(vals) - BOOKKEEPING_FIELDS:
            self._check_not_evidence()
        if vals.get("res_model") == FILED_MODEL and not self._evidence_guard_lifted():
            raise UserError(
                self.env._("The file of a filed archive document cannot be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_evidence(self):
        self._check_not_evidence()
