# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.8.0: an agreement is filed in its customer's archive when it
comes into force. The active agreements of earlier versions, never filed,
are queued now (the archive's scheduled action files them)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    agreements = env["agreement"].search(
        [("state", "=", "active"), ("is_template", "=", False)]
    )
    filed = set(
        env["helpdesk.service.archive.request"]
        .search([("res_model", "=", "agreement"), ("res_id", "in", agreements.ids)])
        .mapped("res_id")
    )
    agreements.filtered(lambda agreement: agreement.id not in filed)._archive_enqueue(
        "activated"
    )
