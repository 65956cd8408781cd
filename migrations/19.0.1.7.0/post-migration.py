# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.6.0: quality checks, progress reports and postmortems get a
number (ZJ/JB/FP<year>-<n>) from their company's sequence. Those that existed
before are numbered here, in the order they were written, with the year they
were written in."""

from odoo import SUPERUSER_ID, api

NUMBERED_MODELS = (
    "helpdesk.service.plan.quality.check",
    "helpdesk.service.plan.progress",
    "helpdesk.ticket.postmortem",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    # the column was filled with the placeholder of a new record, or left empty
    placeholders = [False, "New", env._("New")]
    for model in NUMBERED_MODELS:
        Model = env[model].with_context(active_test=False)
        records = Model.search([("name", "in", placeholders)], order="id")
        for record in records:
            sequence = Model._get_number_sequence(record.company_id or env.company)
            record.name = sequence.with_context(
                ir_sequence_date=record.create_date
            ).next_by_id()
