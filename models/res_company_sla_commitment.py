# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The company's defaults of the commitments of seed 002 for new agreements
# (agreement_sla_commitment.py).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    _sla_commitment_defaults_positive = models.Constraint(
        "CHECK(sla_enquiry_response_minutes >= 0 AND sla_plan_proposal_days >= 0 "
        "AND sla_feedback_answer_days >= 0)",
        lambda env, diag: env._("Commitment targets cannot be negative."),
    )

    sla_enquiry_response_minutes = fields.Integer(
        string="Default Enquiry Response (minutes)",
        default=0,
        help="Pre-sale enquiries are answered within these working minutes, "
        "unless the agreement sets its own target. 0: the blank of the "
        "standard is not filled, the level's response target alone applies.",
    )
    sla_plan_proposal_days = fields.Integer(
        string="Default Plan Proposal (working days)",
        default=3,
        help="A service plan passes the manager's review within these working "
        "days of the confirmed need, unless the agreement sets its own target.",
    )
    sla_feedback_answer_days = fields.Integer(
        string="Default Feedback Answer (working days)",
        default=3,
        help="Satisfaction feedback with comments or low scores is answered "
        "within these working days, unless the agreement sets its own target.",
    )
