# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import timedelta

from PIL import Image, ImageDraw

from odoo import fields

from .common import ServiceCommon

ACCEPTANCE = "helpdesk.service.acceptance"


def signature_png():
    """A drawn signature as the portal's signature pad sends it: a PNG,
    base64-encoded."""
    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line(
        [(10, 60), (60, 15), (110, 65), (170, 20), (230, 55)], fill="black", width=4
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


class AcceptanceCommon(ServiceCommon):
    """A customer under an agreement in force that requires acceptance, two
    of its tickets in the agent's team, and the helpdesk's stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.write({"email": "hsa.contact@example.com", "lang": "en_US"})
        today = fields.Date.today()
        cls.agreement = cls._create_agreement(
            start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=300),
            acceptance_required=True,
        )
        cls.ticket = cls._create_ticket(name="Printer down")
        cls.ticket_2 = cls._create_ticket(
            name="Scanner jammed", description="<p>Paper stuck in the feeder.</p>"
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    @classmethod
    def _request(cls, tickets, user=None):
        """An acceptance form requested from the tickets, as the agent does."""
        action = tickets.with_user(user or cls.agent).action_request_acceptance()
        return cls.env[ACCEPTANCE].browse(action["res_id"])

    @classmethod
    def _sent(cls, tickets=None, standard="Prints 20 pages a minute."):
        """A form with its acceptance standards, sent to the customer."""
        acceptance = cls._request(tickets or cls.ticket)
        acceptance.line_ids.with_user(cls.agent).write(
            {"acceptance_standard": standard}
        )
        acceptance.with_user(cls.agent).action_send()
        return acceptance
