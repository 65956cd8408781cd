# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The company's customer health settings (客户健康度): how many points each
# factor takes from a customer's score of 100, over which window, and the
# scores at which a customer turns amber and red.
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    health_window_days = fields.Integer(
        string="Health Window (days)",
        default=90,
        help="The days before the computation whose records count in a "
        "customer's health score.",
    )
    health_threshold_green = fields.Float(
        string="Green From",
        default=80.0,
        help="A customer scoring at least this is green (healthy).",
    )
    health_threshold_amber = fields.Float(
        string="Amber From",
        default=60.0,
        help="A customer scoring at least this (and below green) is amber; "
        "below it, red.",
    )
    health_weight_breach = fields.Float(
        string="Points per SLA Breach",
        default=5.0,
        help="Points taken per missed response or resolution target.",
    )
    health_weight_escalation = fields.Float(string="Points per Escalation", default=3.0)
    health_weight_complaint = fields.Float(string="Points per Complaint", default=8.0)
    health_weight_complaint_open = fields.Float(
        string="Points per Unresolved Complaint",
        default=7.0,
        help="Taken in addition for each complaint whose result the customer "
        "has not accepted (open, or refused).",
    )
    health_weight_satisfaction = fields.Float(
        string="Points per Satisfaction Point Missing",
        default=10.0,
        help="Taken per point the average satisfaction score (1 to 5) lies below 4.",
    )
    health_weight_recommend = fields.Float(
        string="Points for Recommendation Below Target",
        default=20.0,
        help="Taken in proportion to the recommendation rate's shortfall "
        "against the company's target: the whole weight at 0%.",
    )
    health_weight_rectification = fields.Float(
        string="Points per Rectification Round",
        default=5.0,
        help="Taken per acceptance form the customer sent back for rectification.",
    )
    health_weight_plan_delay = fields.Float(
        string="Points per Plan Delay",
        default=4.0,
        help="Taken per late service plan task and per milestone passed "
        "before its plan was confirmed.",
    )
    health_weight_renewal = fields.Float(
        string="Points in the Renewal Window",
        default=10.0,
        help="Taken when an agreement of the customer is in its renewal notice "
        "window and not yet renewed.",
    )

    _health_settings_range = models.Constraint(
        "CHECK(health_window_days > 0"
        " AND health_threshold_amber BETWEEN 0 AND 100"
        " AND health_threshold_green BETWEEN 0 AND 100"
        " AND health_threshold_amber <= health_threshold_green"
        " AND health_weight_breach >= 0 AND health_weight_escalation >= 0"
        " AND health_weight_complaint >= 0 AND health_weight_complaint_open >= 0"
        " AND health_weight_satisfaction >= 0 AND health_weight_recommend >= 0"
        " AND health_weight_rectification >= 0 AND health_weight_plan_delay >= 0"
        " AND health_weight_renewal >= 0)",
        lambda env, diag: env._(
            "Customer health: the window is at least one day, the thresholds "
            "lie between 0 and 100 with amber at most green, and no weight is "
            "negative."
        ),
    )
