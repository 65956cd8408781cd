# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.fields import Domain
from odoo.tools import SQL, split_every


def post_init_hook(env):
    """Number the customers the helpdesk already serves and start the SLA
    clocks of the tickets open when the addon is installed (from the install
    time: their past is not measured)."""
    number_existing_customers(env)
    Ticket = env["helpdesk.ticket"]
    ticket_ids = Ticket.search(
        Domain("stage_id.closed", "=", False) & Domain("sla_phase_id", "=", False)
    ).ids
    now = fields.Datetime.now()
    for batch_ids in split_every(1000, ticket_ids):
        Ticket.browse(batch_ids)._sla_start(now)
        env.flush_all()
        env.invalidate_all()


def number_existing_customers(env):
    """Give a customer number to the customers (commercial partners) with a
    ticket or an agreement and none yet, in batches, as their first ticket
    would have."""
    partner_ids = set()
    for model, fname in (
        ("helpdesk.ticket", "commercial_partner_id"),
        ("agreement", "commercial_partner_id"),
    ):
        Model = env[model].with_context(active_test=False)
        domain = Domain(fname, "!=", False) & Domain(
            f"{fname}.customer_code", "=", False
        )
        if model == "agreement":
            domain &= Domain("is_template", "=", False)
        partner_ids.update(
            partner.id for [partner] in Model._read_group(domain, [fname])
        )
    Partner = env["res.partner"].with_context(active_test=False)
    for batch_ids in split_every(500, sorted(partner_ids)):
        Partner.browse(batch_ids)._assign_customer_code()
        env.flush_all()
        env.invalidate_all()


def uninstall_hook(env):
    """The satisfaction feedback goes first: it keeps its survey answers and
    acceptance forms from being deleted (ondelete restrict), which the
    uninstall removes with the addon's data (the shipped survey, the demo
    forms). Nobody deletes feedback otherwise. So do the plans' quality
    checks and progress reports (they keep their checkers and plans), and
    the tasks of the plans stay in their projects without their link."""
    env.cr.execute(
        SQL(
            "UPDATE helpdesk_ticket SET complaint_satisfaction_id = NULL "
            "WHERE complaint_satisfaction_id IS NOT NULL"
        )
    )
    env.cr.execute(SQL("DELETE FROM helpdesk_service_satisfaction"))
    env.cr.execute(SQL("DELETE FROM helpdesk_service_plan_quality_check"))
    env.cr.execute(SQL("DELETE FROM helpdesk_service_plan_progress"))
    env.cr.execute(
        SQL(
            "UPDATE project_task SET service_plan_id = NULL, "
            "service_plan_deliverable_id = NULL WHERE service_plan_id IS NOT NULL"
        )
    )
    env.invalidate_all()
