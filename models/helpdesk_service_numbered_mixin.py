# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The number of a record of the service process that has no other human name
# (a quality check ZJ2026-0001, a progress report JB2026-0001, a postmortem
# FP2026-0001): given at creation from the sequence of the record's company,
# copied from a shipped template (data/ir_sequence_data.xml) the first time.
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from .system_fields import check_system_fields


class HelpdeskServiceNumberedMixin(models.AbstractModel):
    """Numbering of a record in ``name`` from a per-company sequence. A
    model using it declares ``name`` (a system field, unique per company)
    and says which sequence and company number it."""

    _name = "helpdesk.service.numbered.mixin"
    _description = "Numbered Service Record"

    # sequence code, shipped template's xml id, prefix and padding (when the
    # template was deleted)
    _number_sequence = None

    @api.model
    def _number_sequence_name(self, company):
        """The name of the company's sequence."""
        raise NotImplementedError

    @api.model
    def _number_company(self, vals):
        """The company that numbers a record created with ``vals``."""
        return self.env.company

    @api.model
    def _number_value(self, vals, fname):
        """The value of ``fname`` a record is created with: given, or the
        default of the form it is created from."""
        return vals.get(fname) or self.env.context.get(f"default_{fname}")

    @api.model
    def _get_number_sequence(self, company):
        code, template_xmlid, prefix, padding = self._number_sequence
        return company._get_service_sequence(
            code,
            template_xmlid,
            {
                "name": self._number_sequence_name(company),
                "prefix": prefix,
                "padding": padding,
            },
        )

    @api.model
    def _check_number(self, vals_list):
        """The number is the system's: refused from users, but for the
        placeholder a form sends for a new record."""
        check_system_fields(
            self, vals_list, frozenset({"name"}), defaults={"name": self.env._("New")}
        )

    @api.model
    def _assign_numbers(self, vals_list):
        """Number the new records from their company's sequence: one query
        per company, whatever the batch (the scheduled progress reports)."""
        new = self.env._("New")
        by_company = defaultdict(list)
        for vals in vals_list:
            if vals.get("name") and vals["name"] != new:
                continue
            company = self._number_company(vals) or self.env.company
            by_company[company].append(vals)
        for company, company_vals in by_company.items():
            sequence = self._get_number_sequence(company)
            numbers = self._next_numbers(sequence, len(company_vals))
            for vals, number in zip(company_vals, numbers, strict=True):
                vals["name"] = number

    @api.model
    def _next_numbers(self, sequence, count):
        """``count`` numbers of ``sequence`` in one query (a standard
        sequence: PostgreSQL's), one by one otherwise."""
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _index in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [
            sequence.get_next_char(number)
            for number in sorted(row[0] for row in self.env.cr.fetchall())
        ]
