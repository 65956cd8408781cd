# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One row per figure of a service summary (a view over the summaries): what
# the form lists, with the text the PDF prints, its bar against the target
# and the button that opens the records the figure counted.
from odoo import api, fields, models
from odoo.tools import SQL

from .helpdesk_service_summary import FIGURE_NAMES


class HelpdeskServiceSummaryFigure(models.Model):
    _name = "helpdesk.service.summary.figure"
    _description = "Service Summary Figure"
    _auto = False
    _order = "summary_id, sequence"
    _rec_name = "label"
    _depends = {"helpdesk.service.summary": ["company_id"]}

    summary_id = fields.Many2one(
        comodel_name="helpdesk.service.summary", readonly=True, index=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    sequence = fields.Integer(readonly=True)
    fname = fields.Char(string="Field", readonly=True)
    section = fields.Char(compute="_compute_display_values")
    label = fields.Char(string="Figure", compute="_compute_display_values")
    value_display = fields.Char(string="This Period", compute="_compute_display_values")
    reason = fields.Char(
        string="Without Data Because", compute="_compute_display_values"
    )
    previous_display = fields.Char(
        string="Previous Period", compute="_compute_display_values"
    )
    target_display = fields.Char(string="Target", compute="_compute_display_values")
    bar = fields.Float(
        string="Against Target",
        compute="_compute_display_values",
        help="The value in percent of its scale: its target, its range (100 % "
        "or 5 points), or the previous period's value.",
    )
    has_bar = fields.Boolean(compute="_compute_display_values")
    target_state = fields.Selection(
        selection=[("met", "Met"), ("missed", "Missed"), ("no_data", "No data")],
        string="Target Met",
        compute="_compute_display_values",
    )

    @property
    def _table_query(self):
        figures = SQL(", ").join(
            SQL("(%s, %s)", sequence, fname)
            for sequence, fname in enumerate(FIGURE_NAMES, start=1)
        )
        return SQL(
            """
            SELECT
                summary.id * 100 + figure.sequence AS id,
                summary.id AS summary_id,
                summary.company_id AS company_id,
                figure.sequence AS sequence,
                figure.fname AS fname
            FROM helpdesk_service_summary summary
            CROSS JOIN (VALUES %s) AS figure(sequence, fname)
            """,
            figures,
        )

    @api.depends("summary_id", "fname")
    @api.depends_context("lang")
    def _compute_display_values(self):
        rows = {}
        for summary in self.summary_id:
            for row in summary._comparison_rows():
                rows[summary.id, row["fname"]] = row
        for figure in self:
            row = rows.get((figure.summary_id.id, figure.fname), {})
            figure.section = row.get("section")
            figure.label = row.get("label")
            figure.value_display = row.get("value_display")
            figure.reason = row.get("reason")
            figure.previous_display = row.get("previous_display")
            figure.target_display = row.get("target_display")
            figure.bar = row.get("bar") or 0.0
            figure.has_bar = row.get("bar") is not None
            figure.target_state = (
                "no_data"
                if row.get("no_data")
                else {True: "met", False: "missed"}.get(row.get("met"), False)
            )

    def action_open_records(self):
        """The records the figure counted, with the domain it counted."""
        self.ensure_one()
        return self.summary_id.action_open_figure(self.fname)
