# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # "default_" names are reserved for default values in the settings
    helpdesk_default_agreement_id = fields.Many2one(
        related="company_id.default_service_agreement_id", readonly=False
    )
    complaint_manager_id = fields.Many2one(
        related="company_id.complaint_manager_id", readonly=False
    )
