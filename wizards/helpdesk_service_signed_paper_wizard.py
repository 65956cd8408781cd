# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskServiceSignedPaperWizard(models.AbstractModel):
    """Record a copy the customer signed on paper (the scan, who signed and
    when) on a document of helpdesk.service.signed.mixin: the base of the
    paper wizards, each a TransientModel with its document's Many2one (named
    by ``_document_field``) and that document's ``partner_id``."""

    _name = "helpdesk.service.signed.paper.wizard"
    _description = "Record a Signed Paper Copy"

    # the wizard's Many2one field of the document
    _document_field = None

    paper_scan = fields.Binary(required=True)
    paper_scan_filename = fields.Char()
    signer_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Signer's Contact",
        compute="_compute_signer_partner_id",
        store=True,
        readonly=False,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    paper_signer = fields.Char(
        string="Signed By",
        compute="_compute_paper_signer",
        store=True,
        readonly=False,
        required=True,
    )
    paper_date = fields.Date(
        string="Signed On", required=True, default=fields.Date.context_today
    )

    @api.depends(lambda self: [self._document_field] if self._document_field else [])
    def _compute_signer_partner_id(self):
        for wizard in self:
            wizard.signer_partner_id = wizard._get_document().contact_id

    @api.depends("signer_partner_id")
    def _compute_paper_signer(self):
        for wizard in self:
            wizard.paper_signer = wizard.signer_partner_id.name or wizard.paper_signer

    def _get_document(self):
        self.ensure_one()
        return self[self._document_field]

    def action_record(self):
        self.ensure_one()
        document = self._get_document()
        document.check_access("write")
        document._record_paper_signature(
            self.paper_scan,
            self.paper_scan_filename,
            self.paper_signer,
            self.paper_date,
            self.signer_partner_id,
        )
        return {"type": "ir.actions.act_window_close"}
