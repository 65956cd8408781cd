# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The customer's current health (客户健康度) on the partner: score, state,
# trend and the snapshot they come from, written by the computation only
# (helpdesk_service_customer_health_compute.py); the reasons and the monthly
# snapshots for the teams that serve the customer.
from odoo import api, fields, models

from .helpdesk_service_customer_health import HEALTH_STATES
from .system_fields import check_system_fields

SERVICE_GROUPS = (
    "helpdesk_service_agreement.group_service_agent,"
    "helpdesk_service_agreement.group_service_archivist"
)
HEALTH_FIELDS = frozenset(
    {
        "health_score",
        "health_state",
        "health_trend",
        "health_date",
        "health_snapshot_id",
        "health_alert_state",
    }
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    health_score = fields.Float(
        readonly=True,
        copy=False,
        digits=(5, 1),
        groups=SERVICE_GROUPS,
    )
    health_state = fields.Selection(
        selection=HEALTH_STATES,
        string="Customer Health",
        readonly=True,
        copy=False,
        groups=SERVICE_GROUPS,
    )
    health_trend = fields.Float(
        readonly=True,
        copy=False,
        digits=(5, 1),
        groups=SERVICE_GROUPS,
        help="The score less the previous month's.",
    )
    health_date = fields.Date(
        string="Health Computed On", readonly=True, copy=False, groups=SERVICE_GROUPS
    )
    health_snapshot_id = fields.Many2one(
        comodel_name="helpdesk.service.customer.health",
        string="Current Health Snapshot",
        readonly=True,
        copy=False,
        groups=SERVICE_GROUPS,
    )
    health_alert_state = fields.Selection(
        selection=[("amber", "Amber in the Renewal Window"), ("red", "Red")],
        string="Health Alert Given",
        readonly=True,
        copy=False,
        groups=SERVICE_GROUPS,
        help="The alert the account owner got a to-do for; another comes only "
        "when the customer turns worse.",
    )
    health_reasons = fields.Text(
        compute="_compute_health_reasons",
        groups=SERVICE_GROUPS,
        help="What lowered the score, for the teams serving the customer.",
    )

    @api.depends_context("uid", "lang")
    @api.depends("health_snapshot_id")
    def _compute_health_reasons(self):
        # the reasons are the snapshot's: shown to whom may read it
        readable = self.health_snapshot_id._filtered_access("read")
        for partner in self:
            snapshot = partner.health_snapshot_id
            partner.health_reasons = snapshot.reasons if snapshot in readable else ""

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, HEALTH_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], HEALTH_FIELDS)
        return super().write(vals)

    def action_view_customer_health(self):
        """The customer's monthly health snapshots: the trend."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_customer_health_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_period": 0}
        action["views"] = [
            (self.env.ref(f"helpdesk_service_agreement.{view}").id, mode)
            for view, mode in (
                ("helpdesk_service_customer_health_view_graph", "graph"),
                ("helpdesk_service_customer_health_view_list", "list"),
                ("helpdesk_service_customer_health_view_pivot", "pivot"),
            )
        ]
        action["view_mode"] = "graph,list,pivot"
        return action
