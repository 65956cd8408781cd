# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .helpdesk_ticket import PROBLEM_LEVELS, SLA_STATES
from .helpdesk_ticket_sla_phase_commitment import PHASE_TARGETS

# measures whose aggregate is a percentile of a column, not its average: the
# pivot and the graph ask ``<measure>:avg`` (the field's aggregator)
SLA_PERCENTILES = {
    "response_hours_p50:avg": ("response_work_hours", 0.5),
    "response_hours_p90:avg": ("response_work_hours", 0.9),
    "resolution_hours_p50:avg": ("resolution_work_hours", 0.5),
    "resolution_hours_p90:avg": ("resolution_work_hours", 0.9),
}


class HelpdeskSlaReport(models.Model):
    """SLA compliance analysis: one row per SLA phase (the clock of one
    problem level of a ticket) with its ticket.

    The targets of a phase are its response and resolution deadlines, when
    its service level sets them and its calendar can plan them; the
    customer-update interval of level 3 is not a compliance target (a missed
    update is an escalation record). Per phase, as 1 or 0:

    - *response breached*: as the phase records it — answered after its
      deadline, not answered while the deadline passed (the scheduled check
      flags it), or closed without the customer ever getting a public reply
      (whenever it closed: the customer never got the response the level
      promises). A level left by escalation before its response deadline,
      without a reply, is not breached;
    - *response met*: a response target not breached, answered or ended;
    - *resolution breached*: the resolution deadline was missed (flagged, or
      it came before the phase ended);
    - *resolution met*: the ticket closed at this level before its
      resolution deadline;
    - *breached*: a target of the phase was missed, running phases included;
    - *met*: the phase ended (done), has a target and none was missed;
    - *compliance*: 100 when met, 0 when breached, empty otherwise, so that
      its average over a group is met / (met + breached) in percent.

    Working hours (pauses excluded): held at the level (``consumed_hours``,
    counted every night for the running clocks), to the first response at the
    level, and to the resolution when the ticket closed at the level. The
    percentile measures (median, 90th percentile) are computed by the
    database over each group, see :meth:`_read_group_select`."""

    _name = "helpdesk.sla.report"
    _description = "SLA Compliance Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date_start desc, id desc"

    _depends = {
        "helpdesk.ticket.sla.phase": [
            "ticket_id",
            "target",
            "team_id",
            "level",
            "user_id",
            "commercial_partner_id",
            "agreement_id",
            "company_id",
            "date_start",
            "date_end",
            "state",
            "sla_state",
            "response_deadline",
            "response_date",
            "response_breached",
            "response_work_hours",
            "resolution_deadline",
            "resolution_date",
            "resolution_breached",
            "consumed_hours",
        ],
        "helpdesk.ticket": ["team_id", "user_id"],
    }

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", readonly=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    target = fields.Selection(
        selection=PHASE_TARGETS,
        readonly=True,
        help="What the clock measures: a problem level (its response and "
        "resolution), the plan proposal or the feedback answer (their one "
        "target, counted as the response).",
    )
    level = fields.Selection(
        selection=PROBLEM_LEVELS, string="Problem Level", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        readonly=True,
        help="Who owned the ticket at this level, else its assignee.",
    )
    commercial_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    agreement_id = fields.Many2one(
        comodel_name="agreement", string="Service Agreement", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    date_start = fields.Datetime(
        string="Start", readonly=True, help="When the ticket entered the level."
    )
    date_end = fields.Datetime(string="End", readonly=True)
    state = fields.Selection(
        selection=[("running", "Running"), ("paused", "Paused"), ("done", "Done")],
        string="Clock",
        readonly=True,
    )
    sla_state = fields.Selection(
        selection=SLA_STATES, string="SLA Status", readonly=True
    )
    met = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Ended levels with a target, none of them missed.",
    )
    breached = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Levels that missed a response or resolution target, the running "
        "ones included.",
    )
    response_met = fields.Integer(readonly=True, aggregator="sum")
    response_breached = fields.Integer(readonly=True, aggregator="sum")
    resolution_met = fields.Integer(readonly=True, aggregator="sum")
    resolution_breached = fields.Integer(readonly=True, aggregator="sum")
    compliance = fields.Float(
        string="Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Met levels out of the met and breached ones.",
    )
    held_hours = fields.Float(
        string="Working Hours Held", readonly=True, aggregator="sum"
    )
    response_work_hours = fields.Float(
        string="Working Hours to Respond", readonly=True, aggregator="avg"
    )
    resolution_work_hours = fields.Float(
        string="Working Hours to Resolve", readonly=True, aggregator="avg"
    )
    response_hours_p50 = fields.Float(
        string="Response Hours (Median)", readonly=True, aggregator="avg"
    )
    response_hours_p90 = fields.Float(
        string="Response Hours (90th Percentile)", readonly=True, aggregator="avg"
    )
    resolution_hours_p50 = fields.Float(
        string="Resolution Hours (Median)", readonly=True, aggregator="avg"
    )
    resolution_hours_p90 = fields.Float(
        string="Resolution Hours (90th Percentile)", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self) -> SQL:
        return SQL("%s %s", self._select(), self._from())

    @api.model
    def _select(self) -> SQL:
        response_hours = SQL(
            "CASE WHEN phase.response_date IS NOT NULL "
            "THEN phase.response_work_hours END"
        )
        resolution_hours = SQL(
            "CASE WHEN phase.resolution_date IS NOT NULL THEN phase.consumed_hours END"
        )
        return SQL(
            """
            SELECT
                phase.id AS id,
                phase.ticket_id AS ticket_id,
                phase.target AS target,
                COALESCE(phase.team_id, ticket.team_id) AS team_id,
                phase.level AS level,
                COALESCE(phase.user_id, ticket.user_id) AS user_id,
                phase.commercial_partner_id AS commercial_partner_id,
                phase.agreement_id AS agreement_id,
                phase.company_id AS company_id,
                phase.date_start AS date_start,
                phase.date_end AS date_end,
                phase.state AS state,
                phase.sla_state AS sla_state,
                outcome.met::int AS met,
                outcome.breached::int AS breached,
                missed.response::int AS response_breached,
                (
                    phase.response_deadline IS NOT NULL
                    AND NOT missed.response
                    AND (phase.response_date IS NOT NULL OR phase.state = 'done')
                )::int AS response_met,
                missed.resolution::int AS resolution_breached,
                (
                    phase.resolution_deadline IS NOT NULL
                    AND NOT missed.resolution
                    AND phase.resolution_date IS NOT NULL
                )::int AS resolution_met,
                CASE
                    WHEN outcome.breached THEN 0.0
                    WHEN outcome.met THEN 100.0
                END AS compliance,
                phase.consumed_hours AS held_hours,
                %(response_hours)s AS response_work_hours,
                %(resolution_hours)s AS resolution_work_hours,
                %(response_hours)s AS response_hours_p50,
                %(response_hours)s AS response_hours_p90,
                %(resolution_hours)s AS resolution_hours_p50,
                %(resolution_hours)s AS resolution_hours_p90
            """,
            response_hours=response_hours,
            resolution_hours=resolution_hours,
        )

    @api.model
    def _from(self) -> SQL:
        # missed: whether each target was missed; outcome: the phase's
        return SQL(
            """
            FROM helpdesk_ticket_sla_phase phase
            JOIN helpdesk_ticket ticket ON ticket.id = phase.ticket_id
            CROSS JOIN LATERAL (
                SELECT
                    phase.response_deadline IS NOT NULL
                        AND COALESCE(phase.response_breached, FALSE) AS response,
                    phase.resolution_deadline IS NOT NULL AND (
                        COALESCE(phase.resolution_breached, FALSE)
                        OR (
                            phase.state = 'done'
                            AND phase.resolution_deadline < phase.date_end
                        )
                    ) AS resolution
            ) AS missed
            CROSS JOIN LATERAL (
                SELECT
                    missed.response OR missed.resolution AS breached,
                    phase.state = 'done'
                    AND (
                        phase.response_deadline IS NOT NULL
                        OR phase.resolution_deadline IS NOT NULL
                    )
                    AND NOT (missed.response OR missed.resolution) AS met
            ) AS outcome
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        """The percentile measures: ``percentile_cont`` over the group."""
        if aggregate_spec not in SLA_PERCENTILES:
            return super()._read_group_select(aggregate_spec, query)
        fname, fraction = SLA_PERCENTILES[aggregate_spec]
        return SQL(
            "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
            fraction,
            self._field_to_sql(self._table, fname, query),
        )

    @api.model
    def _get_compliance_figures(self, domain, groupby=()):
        """Compliance figures of the rows matching ``domain``, per group of
        ``groupby`` (``_read_group`` specifications: ``"team_id"``,
        ``"date_start:month"``...), in one query.

        :return: one dict per group (a single one without ``groupby``): the
            group's values under their specifications, as ``_read_group``
            gives them, and ``tickets`` (distinct tickets), ``met``,
            ``breached``, ``compliance`` (met / (met + breached), in percent),
            ``response_p50``, ``response_p90``, ``resolution_p50``,
            ``resolution_p90`` (working hours), ``held_hours_by_level``
            ({level: working hours held}); a figure the group has no value
            for (no response, no met or breached level) is ``None``."""
        self.browse().check_access("read")
        groupby = list(groupby)
        figures = {
            "tickets": "ticket_id:count_distinct",
            "met": "met:sum",
            "breached": "breached:sum",
            "compliance": "compliance:avg",
            "response_p50": "response_hours_p50:avg",
            "response_p90": "response_hours_p90:avg",
            "resolution_p50": "resolution_hours_p50:avg",
            "resolution_p90": "resolution_hours_p90:avg",
        }
        query = self._search(domain)
        if query.is_empty():
            rows = [] if groupby else [(0, 0, 0) + (None,) * 5 + (0.0,) * 3]
        else:
            groupby_terms = {
                spec: self._read_group_groupby(self._table, spec, query)
                for spec in groupby
            }
            held = self._field_to_sql(self._table, "held_hours", query)
            level = self._field_to_sql(self._table, "level", query)
            select = [
                *groupby_terms.values(),
                *(self._read_group_select(spec, query) for spec in figures.values()),
                *(
                    SQL(
                        "COALESCE(SUM(%s) FILTER (WHERE %s = %s), 0.0)",
                        held,
                        level,
                        value,
                    )
                    for value, _label in PROBLEM_LEVELS
                ),
            ]
            if groupby_terms:
                query.groupby = SQL(", ").join(groupby_terms.values())
                query.order = self._read_group_orderby(None, groupby_terms, query)
            rows = self.env.execute_query(query.select(*select))
        group_columns = [
            list(self._read_group_postprocess_groupby(spec, column))
            for spec, column in zip(groupby, zip(*rows, strict=True), strict=False)
        ]
        levels = [value for value, _label in PROBLEM_LEVELS]
        result = []
        for index, row in enumerate(rows):
            values = {
                spec: column[index]
                for spec, column in zip(groupby, group_columns, strict=True)
            }
            aggregates = row[len(groupby) :]
            values.update(zip(figures, aggregates[: len(figures)], strict=True))
            for counter in ("tickets", "met", "breached"):
                values[counter] = values[counter] or 0
            values["held_hours_by_level"] = dict(
                zip(levels, aggregates[len(figures) :], strict=True)
            )
            result.append(values)
        return result
