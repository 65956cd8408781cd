# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskServicePlanMilestone(models.Model):
    """A milestone of a service plan: a step and the day it is reached, in
    the order of the plan and within its dates."""

    _name = "helpdesk.service.plan.milestone"
    _description = "Service Plan Milestone"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Service Plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    name = fields.Char(string="Milestone", required=True)
    date = fields.Date(required=True)
    description = fields.Text()

    @api.constrains("date", "sequence", "plan_id")
    def _check_dates(self):
        """The milestones of a plan follow each other in time, in their
        order, within the plan's dates. Read as superuser: the check
        concerns the data."""
        for plan in self.sudo().plan_id:
            previous = None
            for milestone in plan.milestone_ids.sorted(lambda m: (m.sequence, m.id)):
                if (
                    plan.date_start
                    and milestone.date < plan.date_start
                    or (plan.date_end and milestone.date > plan.date_end)
                ):
                    raise ValidationError(
                        self.env._(
                            "The milestone %(milestone)s (%(date)s) falls outside "
                            "the plan's dates, %(start)s to %(end)s.",
                            milestone=milestone.name,
                            date=milestone.date,
                            start=plan.date_start or "…",
                            end=plan.date_end or "…",
                        )
                    )
                if previous and milestone.date < previous.date:
                    raise ValidationError(
                        self.env._(
                            "The milestones are out of order: %(milestone)s "
                            "(%(date)s) comes before %(previous)s (%(previous_date)s) "
                            "in time but after it in the plan.",
                            milestone=milestone.name,
                            date=milestone.date,
                            previous=previous.name,
                            previous_date=previous.date,
                        )
                    )
                previous = milestone

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.plan_id._check_editable({"milestone_ids"})
        return lines

    def write(self, vals):
        self.check_access("write")
        self.plan_id._check_editable({"milestone_ids"})
        if vals.get("plan_id"):
            self.plan_id.browse(vals["plan_id"])._check_editable({"milestone_ids"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.plan_id._check_editable({"milestone_ids"})
