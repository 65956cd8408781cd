# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .agreement import MANAGER_GROUP
from .helpdesk_ticket import PROBLEM_LEVELS


class HelpdeskServiceSlaStatementLine(models.Model):
    """A row of an SLA statement: a problem level of the month (its clocks
    met or breached, its pauses, the credit band it fell into), or one of
    its targets (response, resolution), or the complaints' response, or a
    commitment (enquiry response, plan proposal, feedback answer). Written
    by the statement's computation only."""

    _name = "helpdesk.service.sla.statement.line"
    _description = "SLA Statement Line"
    _order = "statement_id, sequence, id"

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
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    kind = fields.Selection(
        selection=[
            ("level", "All Targets"),
            ("response", "Response"),
            ("resolution", "Resolution"),
            ("complaint_response", "Complaint Response"),
            ("enquiry_response", "Enquiry Response"),
            ("plan_proposal", "Plan Proposal"),
            ("feedback_answer", "Feedback Answer"),
        ],
        string="Target",
        required=True,
        readonly=True,
    )
    level = fields.Selection(
        selection=PROBLEM_LEVELS, string="Problem Level", readonly=True
    )
    target_hours = fields.Float(string="Target (working hours)", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    met_count = fields.Integer(string="Met", readonly=True)
    breached_count = fields.Integer(string="Breached", readonly=True)
    compliance = fields.Float(string="Compliance (%)", readonly=True)
    has_compliance = fields.Boolean(readonly=True)
    hours_p50 = fields.Float(string="Median (h)", readonly=True)
    hours_p90 = fields.Float(string="90th Percentile (h)", readonly=True)
    has_hours = fields.Boolean(readonly=True)
    pause_count = fields.Integer(string="Pauses", readonly=True)
    paused_hours = fields.Float(string="Working Hours Paused", readonly=True)
    credit_percent = fields.Float(
        string="Credit (% of Monthly Fee)", readonly=True, groups=MANAGER_GROUP
    )

    @api.depends("kind", "level")
    def _compute_sequence(self):
        kinds = [
            "level",
            "response",
            "resolution",
            "complaint_response",
            "enquiry_response",
            "plan_proposal",
            "feedback_answer",
        ]
        for line in self:
            line.sequence = int(line.level or 9) * 10 + kinds.index(line.kind)
