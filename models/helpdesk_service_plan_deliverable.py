# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

AGENT_GROUP = "helpdesk_service_agreement.group_service_agent"


class HelpdeskServicePlanDeliverable(models.Model):
    """A deliverable the plan promises: what is handed over, the standard
    the customer's acceptance checks it against, its owner and planned date.
    The acceptance form lists them once the plan is confirmed."""

    _name = "helpdesk.service.plan.deliverable"
    _description = "Service Plan Deliverable"
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
    name = fields.Char(string="Deliverable", required=True)
    description = fields.Html()
    acceptance_standard = fields.Text(
        help="What the customer checks the deliverable against at acceptance."
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        domain=lambda self: [
            ("share", "=", False),
            ("all_group_ids", "in", self.env.ref(AGENT_GROUP).ids),
        ],
        help="A member of the service team: the task's owner reads the "
        "customer's plan, its quality checks and reports.",
    )
    date_planned = fields.Date(string="Planned Date")
    quality_check_required = fields.Boolean(
        default=True,
        help="Its task is closed only after a team lead's passed quality check.",
    )
    task_ids = fields.One2many(
        comodel_name="project.task",
        inverse_name="service_plan_deliverable_id",
        string="Tasks",
        readonly=True,
        groups="base.group_user",
    )
    previous_deliverable_id = fields.Many2one(
        comodel_name="helpdesk.service.plan.deliverable",
        string="Previous Revision's Deliverable",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The deliverable of the revision this plan replaces: its task "
        "carries over when this revision is confirmed.",
    )

    @api.constrains("user_id")
    def _check_user_id(self):
        for line in self:
            if line.user_id and not line.user_id.has_group(AGENT_GROUP):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not in the service team: a deliverable's owner "
                        "is a service agent, team lead or manager, who may read the "
                        "customer's plan.",
                        user=line.user_id.name,
                    )
                )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for line, vals in zip(self, vals_list, strict=True):
            vals["previous_deliverable_id"] = line.id
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.plan_id._check_editable({"deliverable_ids"})
        return lines

    def write(self, vals):
        self.check_access("write")
        self.plan_id._check_editable({"deliverable_ids"})
        if vals.get("plan_id"):
            self.plan_id.browse(vals["plan_id"])._check_editable({"deliverable_ids"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.plan_id._check_editable({"deliverable_ids"})
