# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_service_plan_demo.xml): the demo plans go
# through review, and Huaxin's contact confirms one with a drawn signature.
# Nothing here is called outside the demo data.
import base64
import io

from PIL import Image, ImageDraw

from odoo import api, models


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
