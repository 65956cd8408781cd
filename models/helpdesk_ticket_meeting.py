# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Progress and problem meetings (进展会议、问题沟通会议) held on a ticket.
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    meeting_ids = fields.One2many(
        comodel_name="helpdesk.service.meeting",
        inverse_name="ticket_id",
        string="Meetings",
        readonly=True,
    )
    meeting_count = fields.Integer(
        compute="_compute_meeting_count",
        groups="helpdesk_service_agreement.group_service_agent",
    )

    @api.depends("meeting_ids")
    def _compute_meeting_count(self):
        counts = dict(
            self.env["helpdesk.service.meeting"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.meeting_count = counts.get(ticket, 0)

    def action_schedule_meeting(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_meeting_action"
        )
        action.update(
            {
                "view_mode": "form",
                "views": [(False, "form")],
                "context": {
                    "default_ticket_id": self.id,
                    "default_kind": "problem",
                    "default_subject": self.name,
                },
            }
        )
        return action

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_meeting_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_subject": self.name}
        return action
