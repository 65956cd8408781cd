# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.fields import Domain
from odoo.tools import split_every


def post_init_hook(env):
    """Start the SLA clocks of the tickets open when the addon is installed
    (from the install time: their past is not measured)."""
    Ticket = env["helpdesk.ticket"]
    ticket_ids = Ticket.search(
        Domain("stage_id.closed", "=", False) & Domain("sla_phase_id", "=", False)
    ).ids
    now = fields.Datetime.now()
    for batch_ids in split_every(1000, ticket_ids):
        Ticket.browse(batch_ids)._sla_start(now)
        env.flush_all()
        env.invalidate_all()
