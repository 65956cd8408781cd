# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    onboarding_hours_agent = fields.Float(
        related="company_id.onboarding_hours_agent", readonly=False
    )
    onboarding_hours_lead = fields.Float(
        related="company_id.onboarding_hours_lead", readonly=False
    )
    onboarding_days = fields.Integer(
        related="company_id.onboarding_days", readonly=False
    )
    training_manager_id = fields.Many2one(
        related="company_id.training_manager_id", readonly=False
    )
    appraisal_scale = fields.Integer(
        related="company_id.appraisal_scale", readonly=False
    )
    appraisal_weight_performance = fields.Float(
        related="company_id.appraisal_weight_performance", readonly=False
    )
    appraisal_weight_attitude = fields.Float(
        related="company_id.appraisal_weight_attitude", readonly=False
    )
    appraisal_weight_knowledge = fields.Float(
        related="company_id.appraisal_weight_knowledge", readonly=False
    )
