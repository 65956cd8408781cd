# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The communication plan of a company per customer tier (seed 003: 根据客户
# 分类，制定相应的交流频率与方式): how often a customer of the tier gets a
# follow-up visit (客户回访), by which channel, and which care occasions
# (节日问候、生日祝福) its owner keeps.
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

CUSTOMER_TIERS = [
    ("large", "Large Customer"),
    ("medium", "Medium Customer"),
    ("small", "Small Customer"),
]
VISIT_CHANNELS = [
    ("phone", "Phone"),
    ("visit", "On-site Visit"),
    ("meeting", "Meeting"),
]
# cadence: months per period; the periods divide the calendar year
VISIT_CADENCES = [
    ("1", "Monthly"),
    ("2", "Every Two Months"),
    ("3", "Quarterly"),
    ("6", "Half-yearly"),
    ("12", "Yearly"),
]


def period_of(day, months):
    """The period of ``months`` months (a divisor of 12, aligned on January)
    holding ``day``: (first day, last day)."""
    start = day.replace(month=(day.month - 1) // months * months + 1, day=1)
    return start, start + relativedelta(months=months, days=-1)


class HelpdeskServiceContactPolicy(models.Model):
    _name = "helpdesk.service.contact.policy"
    _description = "Communication Plan per Customer Tier"
    _order = "company_id, tier"
    _check_company_auto = True

    _company_tier_uniq = models.UniqueIndex(
        "(company_id, tier)",
        lambda env, diag: env._("A company has one communication plan per tier."),
    )
    _notice_days_positive = models.Constraint(
        "CHECK(care_notice_days >= 0)",
        lambda env, diag: env._("The care notice cannot be negative."),
    )

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    tier = fields.Selection(
        selection=CUSTOMER_TIERS, string="Customer Tier", required=True
    )
    visit_cadence = fields.Selection(
        selection=VISIT_CADENCES,
        string="Follow-up Visit Cadence",
        required=True,
        default="3",
        help="How often each customer of the tier gets a follow-up visit; the "
        "visit is planned when its period starts and due when it ends.",
    )
    channel = fields.Selection(
        selection=VISIT_CHANNELS,
        required=True,
        default="phone",
        help="How the follow-up visits of the tier are held by default.",
    )
    care_festival = fields.Boolean(
        string="Festival Greetings",
        default=True,
        help="The account owner greets the customer on the company's festivals.",
    )
    care_birthday = fields.Boolean(
        string="Birthday Wishes",
        default=True,
        help="The account owner wishes the customer's contacts a happy birthday "
        "when their birthday is known.",
    )
    care_notice_days = fields.Integer(
        string="Care Notice (days)",
        default=7,
        help="How many days before a festival or birthday the owner gets the to-do.",
    )
    active = fields.Boolean(default=True)

    @api.depends("tier", "company_id")
    def _compute_display_name(self):
        tiers = dict(self._fields["tier"]._description_selection(self.env))
        for policy in self:
            policy.display_name = tiers.get(policy.tier, "")

    def _period(self, day):
        """The visit period of this plan holding ``day``."""
        self.ensure_one()
        return period_of(day, int(self.visit_cadence))
