# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A ticket's satisfaction feedback, and the feedback a complaint came from.
from odoo import api, fields, models

from .system_fields import check_system_fields

TICKET_SATISFACTION_SYSTEM_FIELDS = frozenset({"complaint_satisfaction_id"})


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    _complaint_satisfaction_uniq = models.UniqueIndex(
        "(complaint_satisfaction_id) WHERE complaint_satisfaction_id IS NOT NULL",
        lambda env, diag: env._("A satisfaction feedback opens one complaint."),
    )

    satisfaction_ids = fields.Many2many(
        comodel_name="helpdesk.service.satisfaction",
        relation="helpdesk_service_satisfaction_ticket_rel",
        column1="ticket_id",
        column2="satisfaction_id",
        string="Satisfaction Feedback",
        readonly=True,
        copy=False,
    )
    satisfaction_count = fields.Integer(compute="_compute_satisfaction_count")
    complaint_satisfaction_id = fields.Many2one(
        comodel_name="helpdesk.service.satisfaction",
        string="From Satisfaction Feedback",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The dissatisfied survey answer this complaint was opened from.",
    )

    @api.depends_context("uid")
    def _compute_satisfaction_count(self):
        """The feedback the user may read, in one query."""
        Satisfaction = self.env["helpdesk.service.satisfaction"]
        counts = {}
        if self.ids and Satisfaction.has_access("read"):
            counts = dict(
                Satisfaction._read_group(
                    [("ticket_ids", "in", self.ids)], ["ticket_ids"], ["__count"]
                )
            )
        for ticket in self:
            ticket.satisfaction_count = counts.get(ticket, 0)

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, TICKET_SATISFACTION_SYSTEM_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], TICKET_SATISFACTION_SYSTEM_FIELDS)
        return super().write(vals)

    def action_view_satisfaction(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_satisfaction_action"
        )
        action["domain"] = [("ticket_ids", "in", self.ids)]
        action["context"] = {"create": False}
        return action
