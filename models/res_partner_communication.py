# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The customer's side of the communication plan: the team serving it, its
# contacts' birthdays, its follow-up visits (the late ones flagged on the
# form) and its communication record (客户关系维护档案).
from odoo import api, fields, models

AGENT_GROUP = "helpdesk_service_agreement.group_service_agent"


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        index="btree_not_null",
        tracking=True,
        help="The team serving the customer: its members and its leader keep "
        "the customer's follow-up visits and read its communication record. "
        "Without it, the team of the customer's latest ticket.",
    )
    birthday = fields.Date(
        groups=AGENT_GROUP,
        help="The contact's birthday: the account owner gets a to-do to send "
        "birthday wishes.",
    )
    service_visit_ids = fields.One2many(
        comodel_name="helpdesk.service.visit",
        inverse_name="partner_id",
        string="Follow-up Visits",
        groups=AGENT_GROUP,
    )
    service_birthday_care_ids = fields.One2many(
        comodel_name="helpdesk.service.visit",
        inverse_name="birthday_partner_id",
        string="Birthday Wishes",
        groups=AGENT_GROUP,
    )
    service_communication_ids = fields.One2many(
        comodel_name="helpdesk.service.communication",
        inverse_name="partner_id",
        string="Communication Record",
        groups=AGENT_GROUP,
    )
    service_visit_count = fields.Integer(
        string="Visits", compute="_compute_service_visit_count", groups=AGENT_GROUP
    )
    service_visit_late_count = fields.Integer(
        string="Late Visits", compute="_compute_service_visit_count", groups=AGENT_GROUP
    )

    @api.depends_context("uid")
    def _compute_service_visit_count(self):
        customers = self.commercial_partner_id
        counts = {}
        if customers.ids:
            for customer, state, count in self.env[
                "helpdesk.service.visit"
            ]._read_group(
                [("partner_id", "in", customers.ids)],
                ["partner_id", "state"],
                ["__count"],
            ):
                total, late = counts.get(customer.id, (0, 0))
                counts[customer.id] = (
                    total + count,
                    late + (count if state == "late" else 0),
                )
        for partner in self:
            partner.service_visit_count, partner.service_visit_late_count = counts.get(
                partner.commercial_partner_id.id, (0, 0)
            )

    def action_view_service_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_visit_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
