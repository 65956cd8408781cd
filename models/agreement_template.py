# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Templates: what a template passes on to the agreements made from it, who may
# read it, and the company's default service levels.
from odoo import Command, api, models
from odoo.exceptions import UserError, ValidationError

from .agreement import TEMPLATE_TERMS
from .agreement_service_level import DEFAULT_SERVICE_LEVELS


class Agreement(models.Model):
    _inherit = "agreement"

    @api.constrains("template_id")
    def _check_template_id(self):
        for agreement in self.sudo().filtered("template_id"):
            if not agreement.template_id.is_template:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s is prepared from a template, not from the "
                        "agreement %(other)s.",
                        agreement=agreement.display_name,
                        other=agreement.template_id.display_name,
                    )
                )

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.update(self.template_id._get_template_values())

    @api.model
    def action_open_default_service_levels(self):
        """The template whose service levels apply to the current company's
        customers without an agreement, in its form."""
        template = self.env.company.default_service_agreement_id
        if not template:
            raise UserError(
                self.env._(
                    "%(company)s has no default service levels: the administrator "
                    "chooses a template in the Helpdesk settings.",
                    company=self.env.company.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "agreement",
            "res_id": template.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _get_template_values(self):
        """Terms and service levels a template passes on."""
        self.ensure_one()
        self._check_is_template()
        # read as superuser after the check above: a template's terms are
        # meant for whoever prepares agreements in its companies, including
        # the fields restricted to managers on signed agreements
        template = self.sudo()
        values = {}
        for fname in TEMPLATE_TERMS:
            field = self._fields[fname]
            value = template[fname]
            if field.type == "many2one":
                # a shared template leaves the company's own calendar in place
                if value:
                    values[fname] = value.id
            else:
                values[fname] = value
        values["service_level_ids"] = [Command.clear()] + [
            Command.create(level._template_values())
            for level in template.service_level_ids
        ]
        return values

    def _check_is_template(self):
        """Refuse a record that is not a template of the user's companies."""
        template = self.sudo()
        if not template.exists() or not template.is_template:
            raise UserError(
                self.env._(
                    "Agreements are prepared from a template, not from %(name)s.",
                    name=template.display_name or self.id,
                )
            )
        if (
            not self.env.su
            and template.company_id
            and template.company_id not in self.env.companies
        ):
            raise UserError(self.env._("This template belongs to another company."))

    @api.model
    def _default_service_level_commands(self):
        return [Command.create(dict(values)) for values in DEFAULT_SERVICE_LEVELS]
