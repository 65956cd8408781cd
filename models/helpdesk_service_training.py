# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Training records (培训记录, seeds 002 and 003): onboarding, professional and
# case-study sessions with their participants, hours and results. The team
# members are the helpdesk's users (res.users), not hr employees: see the
# README, "Training and appraisal".
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .document_page import KNOWLEDGE_CATEGORY

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
TRAINING_TYPES = [
    ("onboarding", "Onboarding"),
    ("professional", "Professional"),
    ("case_study", "Case Study"),
]


class HelpdeskServiceTraining(models.Model):
    _name = "helpdesk.service.training"
    _description = "Training Session"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _hours_positive = models.Constraint(
        "CHECK(hours > 0)",
        lambda env, diag: env._("A training session lasts more than 0 hours."),
    )

    name = fields.Char(string="Title", required=True, translate=True, tracking=True)
    training_type = fields.Selection(
        selection=TRAINING_TYPES,
        string="Type",
        required=True,
        default="professional",
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    hours = fields.Float(required=True, default=2.0, tracking=True)
    trainer_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    page_ids = fields.Many2many(
        comodel_name="document.page",
        string="Material",
        domain=lambda self: self._page_domain(),
        help="Pages of the service knowledge base used as material: typical "
        "cases for a case study.",
    )
    description = fields.Html(string="Content")
    line_ids = fields.One2many(
        comodel_name="helpdesk.service.training.line",
        inverse_name="training_id",
        string="Participants",
        copy=False,
    )
    participant_count = fields.Integer(compute="_compute_participant_count")

    @api.model
    def _handover_fields(self):
        """The trainer of a session to come hands it over; past sessions
        keep who gave them (hand-over, helpdesk_service_handover_scope)."""
        return {
            "trainer_id": Domain("date", ">=", fields.Date.context_today(self)),
        }

    @api.model
    def _page_domain(self):
        category = self.env.ref(KNOWLEDGE_CATEGORY, raise_if_not_found=False)
        domain = [("type", "=", "content")]
        return domain + [("parent_id", "=", category.id)] if category else domain

    @api.depends("line_ids")
    def _compute_participant_count(self):
        for training in self:
            training.participant_count = len(training.line_ids)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _training_manager_by_company(self, companies):
        """The company's training manager, else its first active customer
        service manager: two queries for all the companies."""
        owners = {
            company: company.training_manager_id
            for company in companies.sudo()
            if company.training_manager_id.active
        }
        missing = companies.filtered(lambda company: company not in owners)
        if missing:
            managers = (
                self.env["res.users"]
                .sudo()
                .search(
                    Domain("all_group_ids", "in", self.env.ref(MANAGER_GROUP).ids)
                    & Domain("share", "=", False)
                    & Domain("company_ids", "in", missing.ids),
                    order="id",
                )
            )
            for company in missing:
                owners[company] = managers.filtered(
                    lambda user, c=company: c in user.company_ids
                )[:1]
        return owners

    @api.model
    def _cron_onboarding_reminders(self):
        """A to-do for the manager, once per member, when a member of a
        helpdesk team has not passed the onboarding hours of their role
        within the company's days of joining."""
        Users = self.env["res.users"].sudo()
        today = fields.Date.context_today(self)
        members = Users.search(
            Domain("helpdesk_team_ids", "!=", False)
            & Domain("share", "=", False)
            & Domain("service_onboarding_todo_date", "=", False)
            & Domain("service_join_date", "!=", False)
            & Domain("service_join_date", "<", today)
        )
        late = members.filtered(
            lambda user: (
                user.company_id.onboarding_days
                and user.service_join_date
                + timedelta(days=user.company_id.onboarding_days)
                < today
                and user.service_onboarding_hours < user.service_onboarding_required
            )
        )
        managers = self._training_manager_by_company(late.company_id)
        for member in late:
            manager = managers.get(member.company_id)
            if not manager:
                continue
            env = self.with_context(lang=manager.lang or self.env.lang).env
            member.partner_id.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=env._("Onboarding not completed"),
                note=env._(
                    "%(member)s joined the service team on %(date)s and has "
                    "passed %(done)s of the %(required)s hours of onboarding "
                    "training.",
                    member=member.name,
                    date=member.service_join_date,
                    done=f"{member.service_onboarding_hours:g}",
                    required=f"{member.service_onboarding_required:g}",
                ),
            )
        late.write({"service_onboarding_todo_date": fields.Datetime.now()})
        return late
