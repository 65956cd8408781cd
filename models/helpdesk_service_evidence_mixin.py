# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Evidence: a record the customer signed or answered, a lead recorded, a
manager approved or the archive filed is final, and so are its files.

A model inherits ``helpdesk.service.evidence.mixin`` and says which of its
records are final (``_evidence_final_domain``). ``ir.attachment`` then refuses,
for everyone, superuser included, to change or delete a file bound to a final
record (the attachments of its binary fields, such as signatures and paper
scans, and the files of its chatter, such as the signed PDF copy), and to add
a second file to one of its binary fields. Only the addon's own server code
(``system_write(EVIDENCE_FILES)``) and the uninstallation pass: one guard for
every model, see models/ir_attachment.py.
"""

from odoo import models
from odoo.fields import Domain

# the flag of the server code that may touch the files of final records
EVIDENCE_FILES = "helpdesk_service_evidence_files"


class HelpdeskServiceEvidenceMixin(models.AbstractModel):
    _name = "helpdesk.service.evidence.mixin"
    _description = "Service Evidence"

    def _evidence_final_domain(self):
        """The records of this model that are final evidence."""
        return Domain.FALSE

    def _evidence_final(self):
        """The final records among ``self`` (whatever the reader may see: the
        guard concerns the data)."""
        if not self.ids:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(Domain("id", "in", self.ids) & self._evidence_final_domain())
            .with_env(self.env)
        )
