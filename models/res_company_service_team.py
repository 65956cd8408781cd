# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The company's rules for its service team (seeds 002, 003): the onboarding
# each role must complete, and how appraisals are scored.
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    _service_team_settings_range = models.Constraint(
        "CHECK(onboarding_hours_agent >= 0 AND onboarding_hours_lead >= 0 "
        "AND onboarding_days >= 0 AND appraisal_scale >= 2 "
        "AND appraisal_weight_performance >= 0 AND appraisal_weight_attitude >= 0 "
        "AND appraisal_weight_knowledge >= 0)",
        lambda env, diag: env._(
            "Onboarding hours and days cannot be negative, appraisal weights "
            "neither, and the appraisal scale has at least 2 points."
        ),
    )

    onboarding_hours_agent = fields.Float(
        string="Onboarding Hours (Agents)",
        default=16.0,
        help="Hours of onboarding training a new service agent passes.",
    )
    onboarding_hours_lead = fields.Float(
        string="Onboarding Hours (Team Leads)",
        default=24.0,
        help="Hours of onboarding training a new team lead passes.",
    )
    onboarding_days = fields.Integer(
        default=30,
        help="Days after joining within which a new team member completes "
        "onboarding; after that the manager gets a to-do, once. 0: no reminder.",
    )
    training_manager_id = fields.Many2one(
        comodel_name="res.users",
        domain="[('share', '=', False)]",
        help="Who is told of onboarding not completed in time; without one, "
        "the company's first customer service manager.",
    )
    appraisal_scale = fields.Integer(
        default=5,
        help="The highest score of an appraisal (1 to this): attitude, "
        "knowledge, performance and the weighted total.",
    )
    appraisal_weight_performance = fields.Float(
        string="Weight of Performance",
        default=60.0,
        help="Weight of the performance score computed from the work.",
    )
    appraisal_weight_attitude = fields.Float(string="Weight of Attitude", default=20.0)
    appraisal_weight_knowledge = fields.Float(
        string="Weight of Knowledge", default=20.0
    )
