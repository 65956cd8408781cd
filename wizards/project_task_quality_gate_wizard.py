# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.system_fields import system_write

LEAD_GROUP = "helpdesk_service_agreement.group_service_team_lead"


class ProjectTaskQualityGateWizard(models.TransientModel):
    """A team lead or manager changes whether a service plan task needs a
    passed quality check before it is done, and says why: the change and its
    reason are noted on the task. The task's owner never lifts the gate."""

    _name = "project.task.quality.gate.wizard"
    _description = "Change a Task's Quality Gate"

    task_id = fields.Many2one(
        comodel_name="project.task",
        required=True,
        domain="[('service_plan_id', '!=', False)]",
    )
    quality_check_required = fields.Boolean()
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        task = self.env["project.task"].browse(values.get("task_id"))
        if task and "quality_check_required" in fields_list:
            values["quality_check_required"] = task.quality_check_required
        return values

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group(LEAD_GROUP):
            raise AccessError(
                self.env._(
                    "Only a team lead or a customer service manager changes a "
                    "task's quality gate."
                )
            )
        task = self.task_id
        task.check_access("write")
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the quality gate changes."))
        if task.quality_check_required == self.quality_check_required:
            raise UserError(
                self.env._(
                    "%(task)s already has this quality gate.", task=task.display_name
                )
            )
        with system_write("quality_check_required"):
            task.write({"quality_check_required": self.quality_check_required})
        user = self.env.user.name
        if self.quality_check_required:
            message = self.env._(
                "Quality check required, by %(user)s: %(reason)s",
                user=user,
                reason=reason,
            )
        else:
            message = self.env._(
                "Quality check no longer required, by %(user)s: %(reason)s",
                user=user,
                reason=reason,
            )
        task.message_post(
            body=Markup("<p>%s</p>") % message,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
