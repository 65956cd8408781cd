# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# terms of the web client's own code that its translations leave empty and
# the service team meets, given whenever the web client loads its terms:
# {lang: {module: {source: translation}}}. Odoo reads a module's code
# translations from that module's po files only, so they cannot come from
# this addon's i18n_extra/ (see models/ir_module_module.py for view terms).
WEB_TERM_CORRECTIONS = {
    "zh_CN": {
        "web": {
            # the notification of a form saved with required fields empty
            "Missing required fields": "缺少必填字段",
        },
    },
}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # the portal's chatter (tickets, plans, acceptance forms) is mail's
        # code: without its terms a Chinese customer reads "The conversation
        # is empty." under every document
        return [*super()._get_translation_frontend_modules_name(), "mail"]

    def _get_translations_for_webclient(self, modules, lang):
        translations, lang_params = super()._get_translations_for_webclient(
            modules, lang
        )
        lang = lang or self.env.context.get("lang")
        for module, terms in WEB_TERM_CORRECTIONS.get(lang, {}).items():
            if module not in translations:
                continue
            messages = translations[module]["messages"]
            translated = {message["id"] for message in messages}
            translations[module] = {
                **translations[module],
                "messages": (
                    *messages,
                    *(
                        {"id": source, "string": value}
                        for source, value in terms.items()
                        if source not in translated
                    ),
                ),
            }
        return translations, lang_params
