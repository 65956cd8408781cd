# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    default_service_agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Default Service Levels",
        domain="[('is_template', '=', True)]",
        help="Template agreement whose service levels apply to the tickets of "
        "customers without an active agreement.",
    )
