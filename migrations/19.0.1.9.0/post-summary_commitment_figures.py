# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.9.0: the service summaries count the commitments of seed 002
(enquiry response, plan proposal, feedback answer) and the follow-up visits.
The summaries computed before have no such figures: they read "—", figures
not computed yet, never a zero (approved ones stay as they were approved;
a draft gets them with "Refresh Figures")."""

import json

from odoo.tools import SQL

NEW_FIGURES = [
    "enquiry_response_compliance",
    "plan_proposal_compliance",
    "feedback_answer_compliance",
    "visits_due",
    "visits_done",
    "visits_late",
    *(
        f"visits_{count}_{tier}"
        for tier in ("large", "medium", "small")
        for count in ("due", "done", "late")
    ),
]


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE helpdesk_service_summary
               SET figures_missing = %s::jsonb || figures_missing::jsonb
             WHERE figures_date IS NOT NULL
               AND figures_missing IS NOT NULL
            """,
            json.dumps(dict.fromkeys(NEW_FIGURES, "not_computed")),
        )
    )
