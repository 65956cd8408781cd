# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    health_window_days = fields.Integer(
        related="company_id.health_window_days", readonly=False
    )
    health_threshold_green = fields.Float(
        related="company_id.health_threshold_green", readonly=False
    )
    health_threshold_amber = fields.Float(
        related="company_id.health_threshold_amber", readonly=False
    )
    health_weight_breach = fields.Float(
        related="company_id.health_weight_breach", readonly=False
    )
    health_weight_escalation = fields.Float(
        related="company_id.health_weight_escalation", readonly=False
    )
    health_weight_complaint = fields.Float(
        related="company_id.health_weight_complaint", readonly=False
    )
    health_weight_complaint_open = fields.Float(
        related="company_id.health_weight_complaint_open", readonly=False
    )
    health_weight_satisfaction = fields.Float(
        related="company_id.health_weight_satisfaction", readonly=False
    )
    health_weight_recommend = fields.Float(
        related="company_id.health_weight_recommend", readonly=False
    )
    health_weight_rectification = fields.Float(
        related="company_id.health_weight_rectification", readonly=False
    )
    health_weight_plan_delay = fields.Float(
        related="company_id.health_weight_plan_delay", readonly=False
    )
    health_weight_renewal = fields.Float(
        related="company_id.health_weight_renewal", readonly=False
    )
