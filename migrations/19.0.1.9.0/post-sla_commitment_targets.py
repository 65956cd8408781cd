# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.9.0: the commitments of seed 002 (enquiry response, plan
proposal, feedback answer) are targets of the agreement, with the company's
defaults. The new columns were filled with the defaults of the company the
update ran in; each agreement of a company now takes its own company's
defaults (templates shared by all companies keep the shipped values). The
existing SLA phases measure problem levels (``target`` = level, the column's
default)."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE agreement
               SET enquiry_response_minutes = company.sla_enquiry_response_minutes,
                   plan_proposal_days = company.sla_plan_proposal_days,
                   feedback_answer_days = company.sla_feedback_answer_days
              FROM res_company company
             WHERE agreement.company_id = company.id
            """
        )
    )
