# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.3.0:

- the SLA compliance analysis: an SLA phase knows when the ticket was
  resolved at its level; for the tickets closed before, that is the end of
  the last phase of a closed ticket (the working hours to respond, and the
  tickets' SLA status, are stored computed fields: the update computes them);
- customers served before the addon came in get their customer number, as at
  a fresh install."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from odoo.addons.helpdesk_service_agreement.hooks import number_existing_customers


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket_sla_phase phase
               SET resolution_date = phase.date_end
              FROM helpdesk_ticket ticket
              JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
             WHERE ticket.sla_phase_id = phase.id
               AND stage.closed
               AND phase.state = 'done'
               AND phase.sla_state IS DISTINCT FROM 'no_schedule'
               AND phase.resolution_date IS NULL
            """
        )
    )
    number_existing_customers(api.Environment(cr, SUPERUSER_ID, {}))
