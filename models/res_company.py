# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _default_service_agreement(self):
        # new companies start from the shipped standard template
        template = self.env.ref(
            "helpdesk_service_agreement.agreement_template_default",
            raise_if_not_found=False,
        )
        return template if template and template.sudo().is_template else False

    default_service_agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Default Service Levels",
        domain="[('is_template', '=', True)]",
        default=lambda self: self._default_service_agreement(),
        help="Template agreement whose service levels apply to the tickets of "
        "customers without an active agreement.",
    )
    sla_at_risk_ratio = fields.Float(
        string="SLA At-Risk Share",
        default=0.8,
        help="Share of a response or resolution target consumed after which "
        "the ticket is at risk and its owner is warned (0.8: at 80% of the "
        "working hours).",
    )

    # the standard's targets the service summaries show beside their figures
    # (seed 003: renewal at least 95%, recommendation at least 80%, a
    # response within 24 hours)
    summary_target_renewal_rate = fields.Float(
        string="Target Renewal Rate (%)", default=95.0
    )
    summary_target_recommend_rate = fields.Float(
        string="Target Recommendation Rate (%)", default=80.0
    )
    summary_target_response_hours = fields.Float(
        string="Target Response Time (h)", default=24.0
    )

    _summary_targets_range = models.Constraint(
        "CHECK(summary_target_renewal_rate BETWEEN 0 AND 100 "
        "AND summary_target_recommend_rate BETWEEN 0 AND 100 "
        "AND summary_target_response_hours >= 0)",
        lambda env, diag: env._(
            "Summary targets are percentages between 0 and 100 and a response "
            "time of at least 0 hours."
        ),
    )
    complaint_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaint Owner",
        domain="[('share', '=', False)]",
        help="Who owns the company's complaints by default; without one, its "
        "first customer service manager.",
    )

    satisfaction_survey_id = fields.Many2one(
        comodel_name="survey.survey",
        default=lambda self: self._default_satisfaction_survey(),
        help="The survey an accepted acceptance form invites its signer to "
        "answer. Empty: no satisfaction survey is sent.",
    )
    satisfaction_threshold = fields.Float(
        string="Dissatisfaction Threshold",
        default=3.0,
        help="An answer whose average score (response speed, resolution, "
        "communication, 1 to 5) is below this value counts as dissatisfied and "
        "opens a complaint.",
    )
    satisfaction_reminder_days = fields.Integer(
        string="Survey Reminder (Working Days)",
        default=3,
        help="Working days of the company's calendar after the invitation when "
        "a customer who has not answered is reminded once; 0: no reminder.",
    )
    satisfaction_validity_days = fields.Integer(
        string="Survey Validity (Days)",
        default=30,
        help="Days the customer may answer the survey after the invitation; "
        "later answers are refused.",
    )

    service_plan_project_mode = fields.Selection(
        selection=[
            ("customer", "One project per customer"),
            ("team", "The team's project"),
        ],
        string="Service Plan Tasks In",
        default="customer",
        required=True,
        help="Where a confirmed service plan's tasks go: the customer's own "
        "project (created on demand, named after the customer number and "
        "name), or the project of the team of the plan's first ticket (the "
        "customer's project when the team has none).",
    )

    _sla_at_risk_ratio_range = models.Constraint(
        "CHECK(sla_at_risk_ratio > 0 AND sla_at_risk_ratio <= 1)",
        lambda env, diag: env._("The SLA at-risk share must be above 0 and at most 1."),
    )

    _satisfaction_threshold_range = models.Constraint(
        "CHECK(satisfaction_threshold >= 1 AND satisfaction_threshold <= 5)",
        lambda env, diag: env._(
            "The dissatisfaction threshold is a score from 1 to 5."
        ),
    )
    _satisfaction_reminder_days_positive = models.Constraint(
        "CHECK(satisfaction_reminder_days >= 0)",
        lambda env, diag: env._(
            "The survey reminder is a number of working days, 0 or more."
        ),
    )
    _satisfaction_validity_days_positive = models.Constraint(
        "CHECK(satisfaction_validity_days > 0)",
        lambda env, diag: env._("A survey invitation stays open at least one day."),
    )

    def _default_satisfaction_survey(self):
        return self.env.ref(
            "helpdesk_service_agreement.survey_customer_satisfaction",
            raise_if_not_found=False,
        )

    @api.model
    def _set_default_satisfaction_survey(self):
        """The shipped survey for the companies without one (install and
        upgrade only: a company may clear it later to send none)."""
        survey = self._default_satisfaction_survey()
        if survey:
            self.with_context(active_test=False).search(
                [("satisfaction_survey_id", "=", False)]
            ).write({"satisfaction_survey_id": survey.id})

    def _get_service_sequence(self, code, template_xmlid, values):
        """The company's own sequence ``code`` (customer or agreement
        numbers), copied from the shipped template ``template_xmlid`` the
        first time the company needs it; ``values`` name it, and number it
        when the template was deleted."""
        self.ensure_one()
        sequence_model = self.env["ir.sequence"].sudo()
        sequence = sequence_model.search(
            [("code", "=", code), ("company_id", "=", self.id)], order="id", limit=1
        )
        if sequence:
            return sequence
        values = dict(values, code=code, company_id=self.id)
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if template:
            return template.sudo().copy(
                {"code": code, "company_id": self.id, "name": values["name"]}
            )
        return sequence_model.create(values)
