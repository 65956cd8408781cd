# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _tracking_value_format_model(self, model):
        """Odoo stores a tracked selection's labels in the writer's language
        ("审核中 → 已批准" for an English reader when a Chinese manager
        approved): shown in the reader's language, by finding the value whose
        label, in any installed language, is the one stored."""
        formatted = super()._tracking_value_format_model(model)
        selections = self.filtered(
            lambda tracking: tracking.field_id.ttype == "selection"
        )
        if not model or not selections:
            return formatted
        Model = self.env[model]
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        relabel = {}
        for fname in set(selections.field_id.mapped("name")):
            field = Model._fields.get(fname)
            if not field or field.type != "selection":
                continue
            reader = dict(field._description_selection(self.env))
            # the reader's own labels first: a label shared by two languages
            # keeps its reader's meaning
            mapping = {label: label for label in reader.values()}
            for lang in langs:
                for value, label in field._description_selection(
                    self.with_context(lang=lang).env
                ):
                    mapping.setdefault(label, reader.get(value, label))
            relabel[fname] = mapping
        mapping_of = {
            tracking.id: relabel.get(tracking.field_id.name) for tracking in selections
        }
        for values in formatted:
            mapping = mapping_of.get(values["id"])
            if mapping:
                for key in ("oldValue", "newValue"):
                    values[key] = mapping.get(values[key], values[key])
        return formatted
