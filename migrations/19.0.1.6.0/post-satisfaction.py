# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.5.0: the satisfaction survey arrives. The shipped survey is
created by the upgrade (data/survey_survey_data.xml, noupdate); the companies
that existed before use it, as new ones do (its function runs on install
only)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].with_context(
        active_test=False
    )._set_default_satisfaction_survey()
