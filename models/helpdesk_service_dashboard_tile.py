# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskServiceDashboardTile(models.TransientModel):
    """A figure of the manager's service dashboard: its value this period,
    the previous period's, the company's target, met or missed (or no data,
    with the reason), and the records it counted, opened by its button with
    the very domain it counted them with."""

    _name = "helpdesk.service.dashboard.tile"
    _description = "Service Dashboard Tile"
    _order = "dashboard_id, sequence, id"
    _rec_name = "label"

    dashboard_id = fields.Many2one(
        comodel_name="helpdesk.service.dashboard",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    sequence = fields.Integer(readonly=True)
    key = fields.Char(readonly=True)
    section = fields.Char(readonly=True)
    label = fields.Char(string="Figure", readonly=True)
    value = fields.Float(readonly=True)
    value_display = fields.Char(string="This Period", readonly=True)
    unit = fields.Char(readonly=True)
    previous_display = fields.Char(string="Previous Period", readonly=True)
    target_display = fields.Char(string="Target", readonly=True)
    reason = fields.Char(string="Without Data Because", readonly=True)
    bar = fields.Integer(string="Against Target", readonly=True)
    has_bar = fields.Boolean(readonly=True)
    target_state = fields.Selection(
        selection=[("met", "Met"), ("missed", "Missed"), ("no_data", "No data")],
        string="Target Met",
        readonly=True,
    )
    res_model = fields.Char(string="Records", readonly=True)
    domain = fields.Json(readonly=True, help="The domain the figure counted.")

    def action_open_records(self):
        """The records the tile counted, with the domain it counted them."""
        self.ensure_one()
        if not self.res_model:
            return False
        self.env[self.res_model].check_access("read")
        views = [(False, "list"), (False, "form")]
        if self.res_model == "helpdesk.sla.report":
            views = [(False, "list"), (False, "pivot")]
        return {
            "type": "ir.actions.act_window",
            "name": self.label,
            "res_model": self.res_model,
            "domain": self.domain or [],
            "views": views,
            "context": {"create": False, "active_test": False},
            "target": "current",
        }
