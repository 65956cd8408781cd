# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# models whose chatter a mixed team reads (a Chinese service team, an English
# administrator) besides this addon's own
SHARED_CHATTER_MODELS = frozenset({"agreement", "helpdesk.ticket"})


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """Odoo logs "<document type> created" in the creator's language,
        stored as written: an English reader then meets "服务方案 创建", a
        Chinese one "Agreement created". The service records log their own
        name instead, which reads the same in every language (the tracked
        values under it are shown in the reader's language, see
        models/mail_tracking_value.py)."""
        if (
            self._original_module == "helpdesk_service_agreement"
            or self._name in SHARED_CHATTER_MODELS
        ):
            self.ensure_one()
            return self.display_name
        return super()._creation_message()
