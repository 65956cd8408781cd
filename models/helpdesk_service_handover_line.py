# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One record a hand-over moved: which, what of it (owner, follower, to-do)
# and to whom. Written with its hand-over, never changed.
from odoo import api, fields, models
from odoo.exceptions import UserError

from .system_fields import is_system_write


class HelpdeskServiceHandoverLine(models.Model):
    _name = "helpdesk.service.handover.line"
    _description = "Hand-over Record Line"
    _order = "handover_id, model_name, res_id, id"
    _check_company_auto = True

    handover_id = fields.Many2one(
        comodel_name="helpdesk.service.handover",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="handover_id.company_id", store=True, index=True, precompute=True
    )
    res_model = fields.Char(string="Model", required=True, readonly=True)
    model_name = fields.Char(string="Record Type", readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    record_name = fields.Char(string="Record", readonly=True)
    role = fields.Char(
        readonly=True, help="What the user was on the record: the field moved."
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="From", readonly=True, ondelete="restrict"
    )
    successor_id = fields.Many2one(
        comodel_name="res.users", string="To", readonly=True, ondelete="restrict"
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_system()
        return super().create(vals_list)

    def write(self, vals):
        self._check_system()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A hand-over record cannot be deleted."))

    def _check_system(self):
        if not is_system_write("line_ids"):
            raise UserError(
                self.env._(
                    "The lines of a hand-over record are written by the hand-over "
                    "itself, never by hand."
                )
            )
