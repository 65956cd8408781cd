# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The agreement's breach liability (违约责任) as numbers: what a missed service
# level costs the provider each month, credited to the customer on the monthly
# SLA statement (helpdesk_service_sla_statement.py). Commercial terms: managers
# only, as the fee they are computed from.
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .agreement import MANAGER_GROUP


class Agreement(models.Model):
    _inherit = "agreement"

    _service_credit_positive = models.Constraint(
        "CHECK(COALESCE(service_credit_per_breach, 0) >= 0 "
        "AND COALESCE(service_credit_monthly_fee, 0) >= 0 "
        "AND COALESCE(service_credit_cap_percent, 0) BETWEEN 0 AND 100)",
        lambda env, diag: env._(
            "Service credits, their monthly fee and their cap (0-100 %) cannot be "
            "negative."
        ),
    )

    service_credit_line_ids = fields.One2many(
        comodel_name="agreement.service.credit.line",
        inverse_name="agreement_id",
        string="Service Credit Schedule",
        copy=True,
        groups=MANAGER_GROUP,
        help="Per compliance band of a problem level below the committed level: "
        "the percentage of the monthly fee credited to the customer.",
    )
    service_credit_per_breach = fields.Monetary(
        string="Credit per Breach",
        currency_field="currency_id",
        groups=MANAGER_GROUP,
        help="A fixed amount credited for every response or resolution target "
        "missed in the month.",
    )
    service_credit_monthly_fee = fields.Monetary(
        string="Monthly Fee",
        currency_field="currency_id",
        compute="_compute_service_credit_monthly_fee",
        store=True,
        readonly=False,
        groups=MANAGER_GROUP,
        help="The fee of one month that the credit percentages apply to: the "
        "service fee spread over the months of the term, unless set.",
    )
    service_credit_cap_percent = fields.Float(
        string="Credit Cap (% of Monthly Fee)",
        groups=MANAGER_GROUP,
        help="The most a month's credits may amount to, in percent of the monthly "
        "fee. 0: no cap.",
    )

    @api.depends("fee_amount", "start_date", "end_date")
    def _compute_service_credit_monthly_fee(self):
        for agreement in self:
            months = 12
            if agreement.start_date and agreement.end_date:
                span = relativedelta(
                    agreement.end_date + relativedelta(days=1), agreement.start_date
                )
                # to the nearest month: a year and a day is twelve months
                months = max(span.years * 12 + span.months + (span.days >= 15), 1)
            agreement.service_credit_monthly_fee = (
                agreement.currency_id.round(agreement.fee_amount / months)
                if agreement.fee_amount
                else 0.0
            )

    def _service_credit(self, levels, breaches):
        """The credit of a month: ``levels`` maps a problem level to its
        compliance in percent (met levels out of met and breached ones; None
        without any), ``breaches`` is the number of missed targets.

        :return: dict of ``bands`` ({level: percent of the monthly fee}),
            ``band_amount``, ``breach_amount``, ``uncapped``, ``cap`` (None
            without a cap) and ``total``."""
        self.ensure_one()
        agreement = self.sudo()
        fee = agreement.service_credit_monthly_fee
        currency = agreement.currency_id
        bands = {}
        for level, compliance in levels.items():
            if compliance is None:
                continue
            # the worst band the level fell into: the largest percentage
            percents = [
                line.credit_percent
                for line in agreement.service_credit_line_ids
                if (not line.level or line.level == level)
                and compliance < line.compliance_below
            ]
            if percents:
                bands[level] = max(percents)
        band_amount = currency.round(sum(fee * p / 100.0 for p in bands.values()))
        breach_amount = currency.round(agreement.service_credit_per_breach * breaches)
        uncapped = band_amount + breach_amount
        cap = (
            currency.round(fee * agreement.service_credit_cap_percent / 100.0)
            if agreement.service_credit_cap_percent
            else None
        )
        return {
            "bands": bands,
            "band_amount": band_amount,
            "breach_amount": breach_amount,
            "uncapped": uncapped,
            "cap": cap,
            "total": uncapped if cap is None else min(uncapped, cap),
        }
