# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"


class AgreementThirdParty(models.Model):
    """A third party brought into the service (第三方介入): intermediary,
    technical, consulting or supervision, with its duties and liability."""

    _name = "agreement.third.party"
    _description = "Agreement Third Party"
    _order = "agreement_id, id"
    _check_company_auto = True

    _liability_positive = models.Constraint(
        "CHECK(liability_limit >= 0)",
        lambda env, diag: env._("A liability limit cannot be negative."),
    )

    agreement_id = fields.Many2one(
        comodel_name="agreement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Third Party",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    role = fields.Selection(
        selection=[
            ("intermediary", "Intermediary"),
            ("technical", "Technical Service"),
            ("consulting", "Consulting"),
            ("supervision", "Supervision"),
            ("other", "Other"),
        ],
        required=True,
        default="technical",
    )
    duties = fields.Text(help="What the third party does and answers for.")
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    liability_limit = fields.Monetary(
        currency_field="currency_id",
        groups=MANAGER_GROUP,
        help="Most the third party is liable for under this agreement.",
    )
    approval_state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Approval by the Other Party",
        required=True,
        default="pending",
    )
    approval_date = fields.Date(string="Decision Date")
    confidentiality_bound = fields.Boolean(
        string="Bound by Confidentiality",
        default=True,
        help="The third party keeps the customer's information confidential for "
        "the term of the agreement and after it.",
    )

    @api.constrains("approval_state", "approval_date")
    def _check_approval_date(self):
        for third_party in self:
            if (
                third_party.approval_state != "pending"
                and not third_party.approval_date
            ):
                raise ValidationError(
                    self.env._(
                        "Give the date on which the other party decided on "
                        "%(partner)s.",
                        partner=third_party.partner_id.display_name,
                    )
                )
