# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The agreement's other commitments of seed 002, each a clock on the SLA
# phases (helpdesk_ticket_sla_commitment.py): the enquiry response of a
# pre-sale request (minutes), the plan proposal after the confirmed need and
# the answer to the customer's feedback (working days). New agreements take
# the company's defaults; a template passes its values on (TEMPLATE_TERMS).
from odoo import api, fields, models

# the agreement's target: the company's default
_COMPANY_DEFAULTS = {
    "enquiry_response_minutes": "sla_enquiry_response_minutes",
    "plan_proposal_days": "sla_plan_proposal_days",
    "feedback_answer_days": "sla_feedback_answer_days",
}


class Agreement(models.Model):
    _inherit = "agreement"

    _commitment_targets_positive = models.Constraint(
        "CHECK(enquiry_response_minutes >= 0 AND plan_proposal_days >= 0 "
        "AND feedback_answer_days >= 0)",
        lambda env, diag: env._("Commitment targets cannot be negative."),
    )

    enquiry_response_minutes = fields.Integer(
        string="Enquiry Response (minutes)",
        default=0,
        help="Working minutes within which a pre-sale enquiry is answered, at "
        "every problem level: the stricter of this and the level's response "
        "target applies. 0: the level's target alone.",
    )
    plan_proposal_days = fields.Integer(
        string="Plan Proposal (working days)",
        default=3,
        help="Working days from the confirmed need of a pre-sale or in-sale "
        "request until a service plan for it passes the manager's review. "
        "0: no target.",
    )
    feedback_answer_days = fields.Integer(
        string="Feedback Answer (working days)",
        default=3,
        help="Working days within which the team answers a satisfaction "
        "feedback with comments or low scores. 0: no target.",
    )

    @api.model
    def default_get(self, fields_list):
        """A new agreement takes its company's defaults (the columns' own
        defaults are the standard's, for the rows that exist when the module
        is installed or updated)."""
        values = super().default_get(fields_list)
        company = self.env["res.company"].browse(
            values.get("company_id") or self.env.company.id
        )
        for fname, company_field in _COMPANY_DEFAULTS.items():
            if fname in fields_list and f"default_{fname}" not in self.env.context:
                values[fname] = company[company_field]
        return values
