# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The customer's health in its service archive: the current state and the
# monthly snapshots of the archive's customer and company.
from odoo import fields, models

from .res_partner_health import SERVICE_GROUPS


class HelpdeskServiceArchive(models.Model):
    _inherit = "helpdesk.service.archive"

    health_snapshot_ids = fields.Many2many(
        comodel_name="helpdesk.service.customer.health",
        string="Health History",
        compute="_compute_health_snapshot_ids",
    )
    health_state = fields.Selection(
        related="partner_id.health_state", groups=SERVICE_GROUPS
    )
    health_score = fields.Float(
        related="partner_id.health_score", groups=SERVICE_GROUPS
    )
    health_trend = fields.Float(
        related="partner_id.health_trend", groups=SERVICE_GROUPS
    )
    health_reasons = fields.Text(
        related="partner_id.health_reasons", groups=SERVICE_GROUPS
    )

    def _compute_health_snapshot_ids(self):
        # one search for all the archives, under the reader's rules
        snapshots = self.env["helpdesk.service.customer.health"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ],
            order="period_start desc",
        )
        for archive in self:
            archive.health_snapshot_ids = snapshots.filtered(
                lambda s, a=archive: (
                    s.partner_id == a.partner_id and s.company_id == a.company_id
                )
            )[:12]
