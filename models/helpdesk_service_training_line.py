# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskServiceTrainingLine(models.Model):
    _name = "helpdesk.service.training.line"
    _description = "Training Participant"
    _order = "date desc, id desc"
    _rec_name = "user_id"

    _participant_unique = models.UniqueIndex(
        "(training_id, user_id)",
        lambda env, diag: env._("A member takes part in a training session once."),
    )
    _hours_range = models.Constraint(
        "CHECK(hours >= 0)",
        lambda env, diag: env._("Training hours cannot be negative."),
    )

    training_id = fields.Many2one(
        comodel_name="helpdesk.service.training",
        string="Training Session",
        required=True,
        index=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Participant",
        required=True,
        index=True,
        domain=[("share", "=", False)],
    )
    result = fields.Selection(
        selection=[("passed", "Passed"), ("failed", "Failed")],
        help="Empty until the participant's result is known.",
    )
    hours = fields.Float(
        compute="_compute_hours",
        store=True,
        readonly=False,
        precompute=True,
        help="Hours the participant attended: the session's by default.",
    )
    remarks = fields.Char()
    date = fields.Date(related="training_id.date", store=True)
    training_type = fields.Selection(
        related="training_id.training_type", store=True, string="Type"
    )
    company_id = fields.Many2one(
        related="training_id.company_id", store=True, index=True
    )

    @api.depends("training_id.hours")
    def _compute_hours(self):
        for line in self:
            line.hours = line.training_id.hours
