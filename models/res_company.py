# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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

    _sla_at_risk_ratio_range = models.Constraint(
        "CHECK(sla_at_risk_ratio > 0 AND sla_at_risk_ratio <= 1)",
        lambda env, diag: env._("The SLA at-risk share must be above 0 and at most 1."),
    )

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
