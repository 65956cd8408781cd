# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

LEAD_GROUP = "helpdesk_service_agreement.group_service_team_lead"


class HelpdeskServicePlanQualityCheck(models.Model):
    """An internal quality check (内部质量检查记录) of a service plan's task by
    a team lead: the criteria checked, pass or fail, remarks and the
    corrective action. A task whose check is required is done only after a
    passed check. Internal: the customer never reads it."""

    _name = "helpdesk.service.plan.quality.check"
    _description = "Service Plan Quality Check"
    _inherit = ["mail.thread", "helpdesk.service.numbered.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # numbered from the company's sequence (data/ir_sequence_data.xml)
    _number_sequence = (
        "helpdesk.service.plan.quality.check",
        "helpdesk_service_agreement.ir_sequence_service_plan_quality_check",
        "ZJ%(year)s-",
        4,
    )

    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        lambda env, diag: env._("A quality check number is unique per company."),
    )

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    task_id = fields.Many2one(
        comodel_name="project.task",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('service_plan_id', '!=', False)]",
    )
    plan_id = fields.Many2one(
        related="task_id.service_plan_id", store=True, index=True, string="Plan"
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        index=True,
    )
    criteria = fields.Text(required=True, help="What was checked, and against what.")
    result = fields.Selection(
        selection=[("pass", "Passed"), ("fail", "Failed")],
        string="Check Result",
        required=True,
        tracking=True,
    )
    remarks = fields.Text()
    corrective_action = fields.Text(
        help="What the team does about a failed check before the next one."
    )
    checker_id = fields.Many2one(
        comodel_name="res.users",
        string="Checked By",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, string="Check Date"
    )

    @api.depends("task_id.company_id")
    def _compute_company_id(self):
        for check in self:
            check.company_id = check.task_id.company_id or self.env.company

    @api.model_create_multi
    def create(self, vals_list):
        self._check_lead()
        vals_list = [dict(vals) for vals in vals_list]
        self._check_number(vals_list)
        for vals in vals_list:
            if not (vals.get("criteria") or "").strip():
                raise UserError(
                    self.env._(
                        "Write the criteria of the quality check: what was checked, "
                        "and against what."
                    )
                )
            if (
                vals.get("result") == "fail"
                and not (vals.get("corrective_action") or "").strip()
            ):
                raise UserError(
                    self.env._(
                        "A failed quality check says the corrective action to take."
                    )
                )
        self._assign_numbers(vals_list)
        checks = super().create(vals_list)
        checks._after_record()
        return checks

    def write(self, vals):
        self._check_lead()
        self._check_number([vals])
        if "criteria" in vals and not (vals["criteria"] or "").strip():
            raise UserError(self.env._("The criteria of a quality check are required."))
        return super().write(vals)

    @api.model
    def _number_sequence_name(self, company):
        return self.env._("Quality Checks (%(company)s)", company=company.name)

    @api.model
    def _number_company(self, vals):
        return (
            self.env["project.task"]
            .browse(self._number_value(vals, "task_id"))
            .company_id
        )

    def _check_lead(self):
        if not self.env.su and not self.env.user.has_group(LEAD_GROUP):
            raise AccessError(
                self.env._("Only team leads and managers record quality checks.")
            )

    def _after_record(self):
        """Hook run once checks are recorded (the archive files them)."""
