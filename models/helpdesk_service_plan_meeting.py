# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The meetings of a service plan: the kick-off (项目启动会议) its owner is
# asked to schedule once the customer confirms it, progress and problem
# meetings afterwards.
from odoo import api, fields, models

# the plan owner's to-do on confirmation, settled by the kick-off's scheduling
KICKOFF_TODO = "helpdesk_service_agreement.mail_activity_type_service_kickoff"


class HelpdeskServicePlan(models.Model):
    _inherit = "helpdesk.service.plan"

    meeting_ids = fields.One2many(
        comodel_name="helpdesk.service.meeting",
        inverse_name="plan_id",
        string="Meetings",
        readonly=True,
    )
    meeting_count = fields.Integer(compute="_compute_meeting_count")

    @api.depends("meeting_ids")
    def _compute_meeting_count(self):
        counts = dict(
            self.env["helpdesk.service.meeting"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.meeting_count = counts.get(plan, 0)

    def _after_confirm(self):
        result = super()._after_confirm()
        # confirmed by a checked path (the customer's signature or staff's
        # paper record): the owner's to-do is the system's to create
        for plan in self.sudo().filtered("user_id"):
            env = plan.with_context(lang=plan.user_id.lang or self.env.lang).env
            plan.activity_schedule(
                KICKOFF_TODO,
                user_id=plan.user_id.id,
                summary=env._("Schedule the kick-off meeting"),
                note=env._(
                    "%(customer)s confirmed %(plan)s: schedule the kick-off "
                    "meeting with their attendees.",
                    customer=plan.partner_id.name,
                    plan=plan.display_name,
                ),
            )
        return result

    def _settle_kickoff_todo(self, meetings):
        """The kick-off is scheduled: the owner's to-do is done, its feedback
        naming the meeting (in the owner's language)."""
        kickoff_type = self.env.ref(KICKOFF_TODO, raise_if_not_found=False)
        if not kickoff_type:
            return
        for plan in self.sudo():
            todos = plan.activity_ids.filtered(
                lambda todo: todo.activity_type_id == kickoff_type
            )
            meeting = meetings.filtered(lambda m, plan=plan: m.plan_id == plan)[:1]
            for todo in todos:
                env = todo.with_context(lang=todo.user_id.lang or self.env.lang).env
                todo.action_feedback(
                    feedback=env._(
                        "Kick-off scheduled: %(meeting)s", meeting=meeting.display_name
                    )
                )

    def _meeting_action(self, kind):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_meeting_action"
        )
        action.update(
            {
                "view_mode": "form",
                "views": [(False, "form")],
                "context": {
                    "default_plan_id": self.id,
                    "default_kind": kind,
                    "default_subject": self.title,
                },
            }
        )
        return action

    def action_schedule_kickoff(self):
        return self._meeting_action("kickoff")

    def action_schedule_meeting(self):
        return self._meeting_action("progress")

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_meeting_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id, "default_subject": self.title}
        return action
