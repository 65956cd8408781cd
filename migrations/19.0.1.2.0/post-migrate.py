# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.0.0 (registration, intake, routing): the service agreements and
the SLA clocks arrive. What a fresh install does in data and hooks is done here
for a database that already holds tickets."""

from odoo import SUPERUSER_ID, api

from odoo.addons.helpdesk_service_agreement.hooks import post_init_hook


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "helpdesk_service_agreement.agreement_template_default",
        raise_if_not_found=False,
    )
    if template:
        env["res.company"].with_context(active_test=False).search(
            [("default_service_agreement_id", "=", False)]
        ).default_service_agreement_id = template
    # the open tickets get their clocks from now on, as at install
    post_init_hook(env)
