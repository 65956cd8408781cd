# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The agreement's number: from the company's sequence when left empty (a
# supplement takes its agreement's number), and its display name.
from odoo import api, fields, models

from .agreement import AGREEMENT_SEQUENCE, TEMPLATE_SEQUENCE


class Agreement(models.Model):
    _inherit = "agreement"

    # numbered at creation when left empty (_assign_codes); a copy is a new
    # agreement and gets its own number
    code = fields.Char(
        copy=False,
        help="Number of the agreement. Left empty, it is given on saving: "
        "SA<year>-<n> from the company's sequence, SAT-<n> for a template, the "
        "amended agreement's number followed by -S<n> for a supplement.",
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        # a new or incomplete record has no "[False] False": its name, its
        # number, or "New"
        for agreement in self:
            if agreement.code and agreement.name:
                agreement.display_name = f"[{agreement.code}] {agreement.name}"
            else:
                agreement.display_name = (
                    agreement.name or agreement.code or self.env._("New")
                )

    @api.model
    def _assign_codes(self, vals_list):
        """Number the agreements of ``vals_list`` created without a code: a
        supplement takes its agreement's number with the next free -S<n>, a
        template SAT-<n> and any other agreement SA<year>-<n>, each from the
        sequence of its company (the current one for a shared template)."""
        to_number = [vals for vals in vals_list if not vals.get("code")]
        if not to_number:
            return
        defaults = self.default_get(
            ["company_id", "is_template", "parent_agreement_id"]
        )

        def value(vals, fname):
            return vals[fname] if fname in vals else defaults.get(fname)

        parents = (
            self.sudo()
            .with_context(active_test=False)
            .browse(
                {value(vals, "parent_agreement_id") or 0 for vals in to_number} - {0}
            )
        )
        # the numbers of each agreement's supplements, archived ones included
        taken = {
            parent: set(parent.supplement_ids.mapped("code")) for parent in parents
        }
        for vals in to_number:
            parent = parents.browse(value(vals, "parent_agreement_id"))
            if parent:
                number = len(taken[parent]) + 1
                while f"{parent.code}-S{number}" in taken[parent]:
                    number += 1
                vals["code"] = f"{parent.code}-S{number}"
                taken[parent].add(vals["code"])
                continue
            company = self.env["res.company"].browse(value(vals, "company_id"))
            sequence = self._get_code_sequence(
                company or self.env.company, bool(value(vals, "is_template"))
            )
            vals["code"] = sequence.next_by_id()

    @api.model
    def _get_code_sequence(self, company, is_template):
        """The company's own sequence numbering its agreements or templates."""
        if is_template:
            return company._get_service_sequence(
                TEMPLATE_SEQUENCE,
                "helpdesk_service_agreement.ir_sequence_agreement_service_template",
                {
                    "name": self.env._(
                        "Service Agreement Templates (%(company)s)",
                        company=company.name,
                    ),
                    "prefix": "SAT-",
                    "padding": 3,
                },
            )
        return company._get_service_sequence(
            AGREEMENT_SEQUENCE,
            "helpdesk_service_agreement.ir_sequence_agreement_service",
            {
                "name": self.env._(
                    "Service Agreements (%(company)s)", company=company.name
                ),
                "prefix": "SA%(year)s-",
                "padding": 4,
            },
        )
