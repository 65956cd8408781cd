# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .system_fields import is_system_write

FILED_MODEL = "helpdesk.service.archive.document"
FILING = "helpdesk_service_archive_filing"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _check_not_filed(self):
        """The PDF of a filed document is part of the archive's chain: nobody
        changes or deletes it, superuser included (only the uninstallation of
        the addon removes it)."""
        if self.env.su and self.env.context.get(MODULE_UNINSTALL_FLAG):
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM ir_attachment WHERE id = ANY(%s) AND res_model = %s "
                "LIMIT 1",
                list(self.ids),
                FILED_MODEL,
            )
        )
        if self.env.cr.fetchone():
            raise UserError(
                self.env._("The file of a filed archive document cannot be changed.")
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
        return super().create(vals_list)

    def write(self, vals):
        if self.ids:
            self._check_not_filed()
        if vals.get("res_model") == FILED_MODEL:
            raise UserError(
                self.env._("The file of a filed archive document cannot be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_filed(self):
        self._check_not_filed()
