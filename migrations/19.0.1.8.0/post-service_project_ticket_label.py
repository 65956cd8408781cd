# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.8.0: the customers' service projects name their tickets in
every installed language (helpdesk_mgmt_project gave them its English
"Tickets"). A label a user changed is kept."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    projects = (
        env["project.project"]
        .with_context(active_test=False)
        .search([("service_customer_id", "!=", False)])
    )
    projects.filtered(
        lambda project: project.label_tickets == "Tickets"
    )._translate_ticket_label()
