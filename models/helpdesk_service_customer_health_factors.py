# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The figures a customer's health score is made of, aggregated by the
# database for a whole batch of customers: one query per factor, whatever the
# number of customers, tickets, phases, complaints, answers, forms or plans.
# Each query joins the batch, given as arrays (customer, company, start of
# its company's window), so that a customer's records count only in the
# company that numbered it.
from odoo import api, models
from odoo.tools import SQL

from odoo.addons.project.models.project_task import CLOSED_STATES

# service plans whose milestones are still ahead of their confirmation
_PLAN_OPEN_STATES = ("draft", "review", "approved", "sent", "changes_requested")


class HelpdeskServiceCustomerHealth(models.Model):
    _inherit = "helpdesk.service.customer.health"

    @api.model
    def _health_batch_sql(self, customers):
        """The batch as a relation ``customer(partner_id, company_id,
        since)``: ``customers`` is a list of (partner id, company id, start
        of the window)."""
        return SQL(
            "SELECT * FROM unnest(%s::int[], %s::int[], %s::timestamp[])"
            " AS customer(partner_id, company_id, since)",
            [row[0] for row in customers],
            [row[1] for row in customers],
            [row[2] for row in customers],
        )

    @api.model
    def _health_factors(self, customers, until, today):
        """{partner id: {factor: value}} of the batch ``customers`` (see
        _health_batch_sql) for the window ending at ``until`` (a datetime);
        ``today`` (a date) places the renewal windows and the plan delays.
        Eight queries."""
        for model in (
            "helpdesk.ticket.sla.phase",
            "helpdesk.ticket.escalation",
            "helpdesk.ticket",
            "helpdesk.service.satisfaction",
            "helpdesk.service.acceptance",
            "helpdesk.service.plan",
            "helpdesk.service.plan.milestone",
            "project.task",
            "agreement",
        ):
            self.env[model].flush_model()
        batch = self._health_batch_sql(customers)
        factors = {row[0]: {} for row in customers}

        def collect(query, *names):
            for partner_id, *values in self.env.execute_query(query):
                factors[partner_id].update(zip(names, values, strict=True))

        collect(
            SQL(
                """
                WITH customer AS (%(batch)s)
                SELECT customer.partner_id,
                       SUM((phase.response_breached IS TRUE)::int
                           + (phase.resolution_breached IS TRUE)::int)
                  FROM customer
                  JOIN helpdesk_ticket_sla_phase phase
                    ON phase.commercial_partner_id = customer.partner_id
                   AND phase.company_id = customer.company_id
                 WHERE phase.date_start >= customer.since
                   AND phase.date_start < %(until)s
                   AND (phase.response_breached OR phase.resolution_breached)
              GROUP BY customer.partner_id
                """,
                batch=batch,
                until=until,
            ),
            "breach_count",
        )
        collect(
            SQL(
                """
                WITH customer AS (%(batch)s)
                SELECT customer.partner_id, COUNT(escalation.id)
                  FROM customer
                  JOIN helpdesk_ticket ticket
                    ON ticket.commercial_partner_id = customer.partner_id
                   AND ticket.company_id = customer.company_id
                  JOIN helpdesk_ticket_escalation escalation
                    ON escalation.ticket_id = ticket.id
                 WHERE escalation.direction = 'up'
                   AND escalation.date >= customer.since
                   AND escalation.date < %(until)s
              GROUP BY customer.partner_id
                """,
                batch=batch,
                until=until,
            ),
            "escalation_count",
        )
        # a complaint closes only with a result the customer accepted: one
        # without that answer is open or was refused
        collect(
            SQL(
                """
                WITH customer AS (%(batch)s)
                SELECT customer.partner_id, COUNT(ticket.id),
                       COUNT(ticket.id) FILTER (
                           WHERE ticket.complaint_feedback IS DISTINCT FROM 'satisfied')
                  FROM customer
                  JOIN helpdesk_ticket ticket
                    ON ticket.commercial_partner_id = customer.partner_id
                   AND ticket.company_id = customer.company_id
                 WHERE ticket.request_type = 'complaint'
                   AND ticket.create_date >= customer.since
                   AND ticket.create_date < %(until)s
              GROUP BY customer.partner_id
                """,
                batch=batch,
                until=until,
            ),
            "complaint_count",
            "complaint_open_count",
        )
        collect(
            SQL(
                """
                WITH customer AS (%(batch)s)
                SELECT customer.partner_id, COUNT(answer.id),
                       AVG(answer.score_average) FILTER (
                           WHERE answer.score_average > 0),
                       AVG(answer.recommend_rate)
                  FROM customer
                  JOIN helpdesk_service_satisfaction answer
                    ON answer.partner_id = customer.partner_id
                   AND answer.company_id = customer.company_id
                 WHERE answer.state = 'answered'
                   AND answer.date_answered >= customer.since
                   AND answer.date_answered < %(until)s
              GROUP BY customer.partner_id
                """,
                batch=batch,
                until=until,
            ),
            "satisfaction_count",
            "satisfaction_avg",
            "recommend_rate",
        )
        collect(
            SQL(
                """
                WITH customer AS (%(batch)s)
                SELECT customer.partner_id, COUNT(form.id)
                  FROM customer
                  JOIN helpdesk_service_acceptance form
                    ON form.partner_id = customer.partner_id
                   AND form.company_id = customer.company_id
                 WHERE form.state = 'rectify'
                   AND form.answer_date >= customer.since::date
                   AND form.answer_date < %(until)s::date
              GROUP BY customer.partner_id
                """,
                batch=batch,
                until=until,
            ),
            "rectification_count",
        )
        # late tasks of the customer's plans, and milestones passed while
        # their plan still waits for the customer's confirmation
        collect(
            SQL(
                """
                WITH customer AS (%(batch)s)
                SELECT partner_id, COUNT(*) FROM (
                    SELECT customer.partner_id
                      FROM customer
                      JOIN helpdesk_service_plan plan
                        ON plan.partner_id = customer.partner_id
                       AND plan.company_id = customer.company_id
                      JOIN project_task task ON task.service_plan_id = plan.id
                     WHERE task.active
                       AND task.date_deadline < %(until)s
                       AND task.state NOT IN %(closed)s
                 UNION ALL
                    SELECT customer.partner_id
                      FROM customer
                      JOIN helpdesk_service_plan plan
                        ON plan.partner_id = customer.partner_id
                       AND plan.company_id = customer.company_id
                      JOIN helpdesk_service_plan_milestone milestone
                        ON milestone.plan_id = plan.id
                     WHERE plan.state IN %(open_states)s
                       AND milestone.date < %(today)s
                ) delay
              GROUP BY partner_id
                """,
                batch=batch,
                until=until,
                closed=tuple(CLOSED_STATES),
                open_states=_PLAN_OPEN_STATES,
                today=today,
            ),
            "plan_delay_count",
        )
        # days until the nearest renewal notice window of an agreement in
        # force and not renewed yet (0 or less: inside it)
        collect(
            SQL(
                """
                WITH customer AS (%(batch)s)
                SELECT customer.partner_id,
                       MIN(agreement.end_date
                           - COALESCE(agreement.renewal_notice_days, 0)
                           - %(today)s::date)
                  FROM customer
                  JOIN agreement
                    ON agreement.commercial_partner_id = customer.partner_id
                   AND agreement.company_id = customer.company_id
                 WHERE agreement.state = 'active'
                   AND agreement.is_template IS NOT TRUE
                   AND agreement.end_date IS NOT NULL
                   AND agreement.successor_id IS NULL
              GROUP BY customer.partner_id
                """,
                batch=batch,
                today=today,
            ),
            "renewal_days",
        )
        return factors
