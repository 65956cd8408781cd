# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .helpdesk_ticket import PROBLEM_LEVELS


class HelpdeskServiceSlaStatementPause(models.Model):
    """The pauses of a problem level of an SLA statement for one reason (the
    stage the ticket waited on the customer in): how many, and the working
    hours they held the clocks. Stored with the statement when its figures
    are computed, as its other lines: an approved statement keeps them, the
    reason's name included, whatever becomes of the stage later."""

    _name = "helpdesk.service.sla.statement.pause"
    _description = "SLA Statement Pauses by Reason"
    _order = "statement_id, level, paused_hours desc, id"

    statement_id = fields.Many2one(
        comodel_name="helpdesk.service.sla.statement",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="statement_id.company_id", store=True, index=True
    )
    level = fields.Selection(
        selection=PROBLEM_LEVELS, string="Problem Level", required=True, readonly=True
    )
    stage_id = fields.Many2one(
        comodel_name="helpdesk.ticket.stage",
        string="Reason Stage",
        ondelete="set null",
        readonly=True,
    )
    # the stage's name in every language when the figures were computed:
    # the statement keeps it if the stage is renamed or deleted
    reason = fields.Char(string="Stage Name", translate=True, readonly=True)
    pause_count = fields.Integer(string="Pauses", readonly=True)
    paused_hours = fields.Float(string="Working Hours Paused", readonly=True)

    reason_label = fields.Char(string="Reason", compute="_compute_reason_label")

    @api.depends("reason")
    @api.depends_context("lang")
    def _compute_reason_label(self):
        """The reason as the reader reads it: the stage's name, or "reason
        not recorded" for pauses kept before their stage was."""
        for line in self:
            line.reason_label = line.reason or self.env._("reason not recorded")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # the reason's name in all its languages, from its stage: one query
        if with_stage := lines.filtered("stage_id"):
            self.env["helpdesk.ticket.stage"].flush_model(["name"])
            self.env.execute_query(
                SQL(
                    """
                    UPDATE helpdesk_service_sla_statement_pause line
                       SET reason = stage.name
                      FROM helpdesk_ticket_stage stage
                     WHERE stage.id = line.stage_id AND line.id IN %s
                    """,
                    tuple(with_stage.ids),
                )
            )
            with_stage.invalidate_recordset(["reason"])
        return lines

    @api.model
    def _statement_pauses(self, agreements, start, end):
        """{(agreement, level): {stage id or False: (pauses, working hours
        paused)}} of the clocks started from ``start`` to ``end`` (the
        statement's month, as its other figures): one grouped query,
        whatever the number of agreements, tickets and pauses."""
        self.env["helpdesk.ticket.sla.pause"].flush_model(
            ["phase_id", "paused_hours", "stage_id"]
        )
        self.env["helpdesk.ticket.sla.phase"].flush_model(
            ["agreement_id", "level", "date_start", "target"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT phase.agreement_id, phase.level, pause.stage_id,
                       COUNT(pause.id), COALESCE(SUM(pause.paused_hours), 0.0)
                  FROM helpdesk_ticket_sla_pause pause
                  JOIN helpdesk_ticket_sla_phase phase ON phase.id = pause.phase_id
                 WHERE phase.agreement_id IN %s
                   AND phase.target = 'level'
                   AND phase.date_start >= %s AND phase.date_start < %s
              GROUP BY phase.agreement_id, phase.level, pause.stage_id
                """,
                tuple(agreements.ids) or (None,),
                start,
                end,
            )
        )
        result = {}
        for agreement, level, stage, count, hours in rows:
            result.setdefault((agreement, level), {})[stage or False] = (count, hours)
        return result

    @api.model
    def _statement_lines(self, level, reasons):
        """The values of the lines of ``level`` from its ``reasons`` (as
        returned by ``_statement_pauses``), the longest held first."""
        return [
            {
                "level": level,
                "stage_id": stage,
                "pause_count": count,
                "paused_hours": round(hours, 2),
            }
            for stage, (count, hours) in sorted(
                reasons.items(), key=lambda item: (-item[1][1], item[0] or 0)
            )
        ]
