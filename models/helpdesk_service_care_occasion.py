# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The festivals on which a company greets its customers (节日问候), each on a
# day of the year (a festival of the lunar calendar is moved each year).
import calendar
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskServiceCareOccasion(models.Model):
    _name = "helpdesk.service.care.occasion"
    _description = "Customer Care Occasion"
    _order = "month, day, id"
    _check_company_auto = True

    _month_range = models.Constraint(
        "CHECK(month BETWEEN 1 AND 12 AND day BETWEEN 1 AND 31)",
        lambda env, diag: env._("A festival falls on a month 1-12 and a day 1-31."),
    )

    name = fields.Char(string="Festival", required=True, translate=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    month = fields.Integer(required=True, default=1)
    day = fields.Integer(required=True, default=1)
    active = fields.Boolean(default=True)

    @api.constrains("month", "day")
    def _check_day_of_month(self):
        for occasion in self:
            # 29 February is accepted: it falls on 28 February in other years
            if occasion.day > calendar.monthrange(2024, occasion.month or 1)[1]:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the month has no day %(day)s.",
                        name=occasion.name,
                        day=occasion.day,
                    )
                )

    def _date_in(self, year):
        """The festival's date in ``year``."""
        self.ensure_one()
        last = calendar.monthrange(year, self.month)[1]
        return date(year, self.month, min(self.day, last))
