# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskServiceAcceptancePaperWizard(models.TransientModel):
    """Record an acceptance form the customer signed on paper: the scan, who
    signed and when. Every deliverable passes, as with a signature online."""

    _name = "helpdesk.service.acceptance.paper.wizard"
    _description = "Record a Signed Paper Acceptance Form"

    acceptance_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance",
        string="Acceptance Form",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="acceptance_id.partner_id")
    paper_scan = fields.Binary(string="Scan of the Signed Form", required=True)
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

    @api.depends("acceptance_id")
    def _compute_signer_partner_id(self):
        for wizard in self:
            wizard.signer_partner_id = wizard.acceptance_id.contact_id

    @api.depends("signer_partner_id")
    def _compute_paper_signer(self):
        for wizard in self:
            wizard.paper_signer = wizard.signer_partner_id.name or wizard.paper_signer

    def action_record(self):
        self.ensure_one()
        self.acceptance_id._record_paper_form(
            self.paper_scan,
            self.paper_scan_filename,
            self.paper_signer,
            self.paper_date,
            self.signer_partner_id,
        )
        return {"type": "ir.actions.act_window_close"}
