# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_service_plan_demo.xml): the demo plans go
# through review, and Huaxin's contact confirms one with a drawn signature.
# Nothing here is called outside the demo data.
import base64
import io
from datetime import timedelta

from PIL import Image, ImageDraw

from odoo import api, fields, models


def _demo_signature():
    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line(
        [(10, 55), (50, 20), (90, 60), (140, 18), (200, 50), (230, 30)],
        fill="black",
        width=4,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


class HelpdeskServicePlan(models.Model):
    _inherit = "helpdesk.service.plan"

    @api.model
    def _demo_review(self, plan_id, manager_xmlid=None, confirm=False):
        """The author submits plan ``plan_id``; the manager ``manager_xmlid``
        approves it; with ``confirm``, it is sent and its contact confirms
        it. A plan already past a step is left there."""
        plan = self.browse(plan_id).exists()
        if not plan:
            return
        if plan.state == "draft":
            plan.with_user(plan.user_id or self.env.user).action_submit()
        if manager_xmlid and plan.state == "review":
            manager = self.env.ref(manager_xmlid)
            plan.with_user(manager).action_approve()
        if confirm and plan.state == "approved":
            plan.with_user(plan.user_id or self.env.user).action_send()
        if confirm and plan.state == "sent":
            plan.sudo()._portal_confirm(
                plan.contact_id.name, _demo_signature(), plan.contact_id
            )

    @api.model
    def _demo_tasks(self, plan_id, lead_xmlid):
        """The tasks of confirmed plan ``plan_id`` at work: the first one
        checked (passed) by the lead ``lead_xmlid`` and done, the second
        past its deadline with a delay flagged by its owner; then this
        week's progress report is sent. A plan already there is left."""
        plan = self.browse(plan_id).exists()
        tasks = plan.task_ids.sorted(
            lambda task: task.service_plan_deliverable_id.sequence
        )
        if plan.state != "confirmed" or len(tasks) < 2 or tasks.quality_check_ids:
            return
        done, late = tasks[0], tasks[1]
        lead = self.env.ref(lead_xmlid)
        self.env["helpdesk.service.plan.quality.check"].with_user(lead).create(
            {
                "task_id": done.id,
                "criteria": "每台电脑打印测试页 / A test page from every computer",
                "result": "pass",
                "remarks": "6 台均正常 / All 6 printers work",
            }
        )
        done.with_user(done.user_ids[:1] or self.env.user).write({"state": "1_done"})
        late.date_deadline = fields.Datetime.now() - timedelta(days=1)
        late.with_user(late.user_ids[:1] or self.env.user).write(
            {
                "delay_expected": True,
                "delay_reason": "管理员出差，培训改期 / "
                "The administrator is travelling: the training is moved",
            }
        )
        self.env["helpdesk.service.plan.progress"]._report_plans(
            plan, fields.Date.context_today(self)
        )
