# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An accepted acceptance form invites its signer to the satisfaction survey.
from odoo import api, fields, models


class HelpdeskServiceAcceptance(models.Model):
    _inherit = "helpdesk.service.acceptance"

    satisfaction_ids = fields.One2many(
        comodel_name="helpdesk.service.satisfaction",
        inverse_name="acceptance_id",
        string="Satisfaction Feedback",
        readonly=True,
    )
    satisfaction_count = fields.Integer(compute="_compute_satisfaction_count")

    @api.depends_context("uid")
    def _compute_satisfaction_count(self):
        """The feedback the user may read, in one query."""
        Satisfaction = self.env["helpdesk.service.satisfaction"]
        counts = {}
        if self.ids and Satisfaction.has_access("read"):
            counts = dict(
                Satisfaction._read_group(
                    [("acceptance_id", "in", self.ids)],
                    ["acceptance_id"],
                    ["__count"],
                )
            )
        for acceptance in self:
            acceptance.satisfaction_count = counts.get(acceptance, 0)

    def _after_accept(self):
        result = super()._after_accept()
        self._satisfaction_invite()
        return result

    def _satisfaction_invite(self):
        """Invite the signers of the accepted forms to the satisfaction
        survey, once per form."""
        accepted = self.filtered(lambda a: a.state == "accepted")
        if not accepted:
            return self.env["helpdesk.service.satisfaction"]
        # the forms passed their own checks and are accepted (final): the
        # invitation (survey answer, feedback, e-mail) is the system's
        return self.env["helpdesk.service.satisfaction"].sudo()._invite(accepted.sudo())

    def action_view_satisfaction(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_satisfaction_action"
        )
        action["domain"] = [("acceptance_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
