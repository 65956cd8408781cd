# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# terms of other modules that their own translations get wrong, corrected
# whenever translations are loaded: {lang: {view xml id: {source: translation}}}
TERM_CORRECTIONS = {
    "zh_CN": {
        # OCA agreement's zh_CN.po says 协议类型 ("agreement type") here
        "agreement.agreement_form": {"Agreement Name": "协议名称"},
    },
}


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False):
        result = super()._load_module_terms(modules, langs, overwrite=overwrite)
        self._correct_module_terms(langs)
        return result

    def _correct_module_terms(self, langs):
        """Apply TERM_CORRECTIONS after the modules' own translations, which
        Odoo loads without overwriting what another module set first."""
        for lang in langs:
            for xmlid, terms in TERM_CORRECTIONS.get(lang, {}).items():
                view = self.env.ref(xmlid, raise_if_not_found=False)
                if view:
                    view.sudo().update_field_translations("arch_db", {lang: terms})
