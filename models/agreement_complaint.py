# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The agreement's complaint targets (seed 002: "respond to a complaint within
# [X] minutes", "answer feedback within [X] working days"), planned on the
# complaint tickets' SLA clocks (helpdesk_ticket_sla_phase.py).
from odoo import fields, models


class Agreement(models.Model):
    _inherit = "agreement"

    _complaint_targets_positive = models.Constraint(
        "CHECK(complaint_response_minutes >= 0 AND complaint_feedback_days >= 0)",
        lambda env, diag: env._("Complaint targets cannot be negative."),
    )

    complaint_response_minutes = fields.Integer(
        string="Complaint Response (minutes)",
        default=30,
        help="Working minutes within which a complaint is answered, at every "
        "problem level: the stricter of this and the level's response target "
        "applies. 0: the level's target alone.",
    )
    complaint_feedback_days = fields.Integer(
        string="Complaint Feedback (working days)",
        default=3,
        help="Working days within which the result of a complaint is given to "
        "the customer, at every problem level: the stricter of this and the "
        "level's resolution target applies. 0: the level's target alone.",
    )
