# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskServiceHandoverWizardLine(models.TransientModel):
    """One kind of record the departing user owns (their open tickets, the
    plans they write, their to-dos, ...): how many, and who takes them."""

    _name = "helpdesk.service.handover.wizard.line"
    _description = "Hand-over: Records of One Kind"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        comodel_name="helpdesk.service.handover.wizard",
        required=True,
        ondelete="cascade",
    )
    sequence = fields.Integer()
    key = fields.Char(required=True)
    name = fields.Char(string="Record Type")
    count = fields.Integer(string="Records")
    successor_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        domain=[("share", "=", False)],
    )
