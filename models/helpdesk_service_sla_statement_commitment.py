# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The commitments of seed 002 on the monthly SLA statement: one target row
# each (enquiry response of pre-sale requests, plan proposal, feedback
# answer) from the SLA compliance analysis, two grouped queries whatever the
# number of agreements. They are reported beside the levels; the service
# credit stays the levels' (the agreement's breach liability names them).
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

_AGGREGATES = [
    "ticket_id:count_distinct",
    "response_met:sum",
    "response_breached:sum",
    "response_hours_p50:avg",
    "response_hours_p90:avg",
    "response_work_hours:count",
]
_TARGET_KINDS = {"plan": "plan_proposal", "feedback": "feedback_answer"}


class HelpdeskServiceSlaStatement(models.Model):
    _inherit = "helpdesk.service.sla.statement"

    @api.model
    def _statement_values(self, agreements, date_start, date_end):
        result = super()._statement_values(agreements, date_start, date_end)
        Report = self.env["helpdesk.sla.report"].sudo()
        start = datetime.combine(date_start, time.min)
        end = datetime.combine(date_end + relativedelta(days=1), time.min)
        month = (
            Domain("agreement_id", "in", agreements.ids)
            & Domain("date_start", ">=", start)
            & Domain("date_start", "<", end)
        )
        rows = {
            (agreement.id, _TARGET_KINDS[target]): row
            for agreement, target, *row in Report._read_group(
                month & Domain("target", "in", list(_TARGET_KINDS)),
                ["agreement_id", "target"],
                _AGGREGATES,
            )
        }
        rows.update(
            {
                (agreement.id, "enquiry_response"): row
                for agreement, *row in Report._read_group(
                    month
                    & Domain("target", "=", "level")
                    & Domain("ticket_id.request_type", "=", "pre_sale"),
                    ["agreement_id"],
                    _AGGREGATES,
                )
            }
        )
        for agreement in agreements.sudo():
            values = result.get(agreement.id)
            if values is None:
                continue
            hours_per_day = agreement.resource_calendar_id.hours_per_day or 8.0
            targets = {
                "enquiry_response": agreement.enquiry_response_minutes / 60.0,
                "plan_proposal": agreement.plan_proposal_days * hours_per_day,
                "feedback_answer": agreement.feedback_answer_days * hours_per_day,
            }
            for kind, target_hours in targets.items():
                row = rows.get((agreement.id, kind))
                if not row:
                    continue
                tickets, met, breached, p50, p90, answered = row
                values["line_ids"].append(
                    fields.Command.create(
                        self._line_values(
                            kind,
                            False,
                            target_hours,
                            tickets,
                            met,
                            breached,
                            p50 if answered else None,
                            p90 if answered else None,
                        )
                    )
                )
        return result
