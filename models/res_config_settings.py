# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # "default_" names are reserved for default values in the settings
    helpdesk_default_agreement_id = fields.Many2one(
        related="company_id.default_service_agreement_id", readonly=False
    )
    summary_target_renewal_rate = fields.Float(
        related="company_id.summary_target_renewal_rate", readonly=False
    )
    summary_target_recommend_rate = fields.Float(
        related="company_id.summary_target_recommend_rate", readonly=False
    )
    summary_target_response_hours = fields.Float(
        related="company_id.summary_target_response_hours", readonly=False
    )
    complaint_manager_id = fields.Many2one(
        related="company_id.complaint_manager_id", readonly=False
    )
    satisfaction_survey_id = fields.Many2one(
        related="company_id.satisfaction_survey_id", readonly=False
    )
    satisfaction_threshold = fields.Float(
        related="company_id.satisfaction_threshold", readonly=False
    )
    satisfaction_reminder_days = fields.Integer(
        related="company_id.satisfaction_reminder_days", readonly=False
    )
    satisfaction_validity_days = fields.Integer(
        related="company_id.satisfaction_validity_days", readonly=False
    )
