# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .helpdesk_ticket import PROBLEM_LEVELS


class AgreementServiceCreditLine(models.Model):
    """A band of the agreement's service credit schedule: a problem level
    (or every level) whose monthly compliance falls below a percentage gives
    the customer a percentage of the monthly fee."""

    _name = "agreement.service.credit.line"
    _description = "Agreement Service Credit Band"
    _order = "agreement_id, level, compliance_below desc, id"
    _check_company_auto = True

    _band_range = models.Constraint(
        "CHECK(compliance_below > 0 AND compliance_below <= 100 "
        "AND credit_percent > 0 AND credit_percent <= 100)",
        lambda env, diag: env._(
            "A credit band applies below a compliance of 0-100 % and credits "
            "0-100 % of the monthly fee."
        ),
    )

    agreement_id = fields.Many2one(
        comodel_name="agreement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, precompute=True
    )
    level = fields.Selection(
        selection=PROBLEM_LEVELS,
        string="Problem Level",
        help="Empty: every level.",
    )
    compliance_below = fields.Float(
        string="Compliance Below (%)",
        required=True,
        help="The band applies when the level's compliance of the month is "
        "below this percentage.",
    )
    credit_percent = fields.Float(string="Credit (% of Monthly Fee)", required=True)
