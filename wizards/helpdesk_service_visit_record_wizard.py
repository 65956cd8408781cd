# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.helpdesk_service_contact_policy import VISIT_CHANNELS


class HelpdeskServiceVisitRecordWizard(models.TransientModel):
    """Record a follow-up visit or a care occasion as held: it closes the
    owner's to-do."""

    _name = "helpdesk.service.visit.record.wizard"
    _description = "Record a Follow-up Visit"

    visit_id = fields.Many2one(
        comodel_name="helpdesk.service.visit", required=True, ondelete="cascade"
    )
    kind = fields.Selection(related="visit_id.kind")
    partner_id = fields.Many2one(related="visit_id.partner_id")
    channel = fields.Selection(selection=VISIT_CHANNELS, required=True, default="phone")
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    date_done = fields.Date(
        string="Held On", required=True, default=fields.Date.context_today
    )
    result = fields.Text(string="Visit Result")
    customer_remarks = fields.Text(string="Customer's Remarks")
    next_steps = fields.Text()

    def action_record(self):
        self.ensure_one()
        self.visit_id._record(
            {
                "channel": self.channel,
                "contact_id": self.contact_id.id,
                "result": self.result,
                "customer_remarks": self.customer_remarks,
                "next_steps": self.next_steps,
            },
            date_done=self.date_done,
        )
        return {"type": "ir.actions.act_window_close"}
