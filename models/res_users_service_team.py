# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A team member's training history and onboarding status. Fields readable by
# the service roles only: Odoo's own suites of res.users run beside ours.
from odoo import api, fields, models
from odoo.fields import Domain

from .system_fields import check_system_fields

LEAD_GROUP = "helpdesk_service_agreement.group_service_team_lead"
STAFF = "helpdesk_service_agreement.group_service_agent"


class ResUsers(models.Model):
    _inherit = "res.users"

    service_join_date = fields.Date(
        string="Joined the Service Team",
        groups=STAFF,
        help="From this day the member has the company's onboarding days to "
        "pass the onboarding hours of their role.",
    )
    service_onboarding_todo_date = fields.Datetime(
        string="Onboarding Reminder Sent",
        readonly=True,
        copy=False,
        groups=STAFF,
    )
    service_training_line_ids = fields.One2many(
        comodel_name="helpdesk.service.training.line",
        inverse_name="user_id",
        string="Training History",
        groups=STAFF,
    )
    service_training_count = fields.Integer(
        string="Trainings", compute="_compute_service_training", groups=STAFF
    )
    service_onboarding_hours = fields.Float(
        string="Onboarding Hours Passed",
        compute="_compute_service_training",
        groups=STAFF,
    )
    service_onboarding_required = fields.Float(
        string="Onboarding Hours Required",
        compute="_compute_service_onboarding_required",
        groups=STAFF,
    )

    def _compute_service_training(self):
        Line = self.env["helpdesk.service.training.line"].sudo()
        counts = dict(
            Line._read_group(
                Domain("user_id", "in", self.ids), ["user_id"], ["__count"]
            )
        )
        passed = dict(
            Line._read_group(
                Domain("user_id", "in", self.ids)
                & Domain("training_type", "=", "onboarding")
                & Domain("result", "=", "passed"),
                ["user_id"],
                ["hours:sum"],
            )
        )
        for user in self:
            user.service_training_count = counts.get(user._origin, 0)
            user.service_onboarding_hours = passed.get(user._origin, 0.0)

    @api.depends(
        "company_id.onboarding_hours_agent", "company_id.onboarding_hours_lead"
    )
    def _compute_service_onboarding_required(self):
        for user in self:
            company = user.company_id
            user.service_onboarding_required = (
                company.onboarding_hours_lead
                if user._service_is_lead()
                else company.onboarding_hours_agent
            )

    def _service_is_lead(self):
        """A team lead: in the lead group, or leading a helpdesk team."""
        self.ensure_one()
        return self.sudo().has_group(LEAD_GROUP) or bool(
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search_count(Domain("user_id", "=", self.id), limit=1)
        )

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, {"service_onboarding_todo_date"})
        return super().create(vals_list)

    def write(self, vals):
        if "service_onboarding_todo_date" in vals:
            check_system_fields(self, [vals], {"service_onboarding_todo_date"})
        return super().write(vals)

    def action_open_service_trainings(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_training_line_action"
        )
        action["domain"] = [("user_id", "=", self.id)]
        action["context"] = {"default_user_id": self.id}
        return action
