# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskServicePlanPaperWizard(models.TransientModel):
    """Record a plan confirmation (服务方案确认书) the customer signed on
    paper: the scan, who signed and when. The plan is confirmed, as with a
    signature online."""

    _name = "helpdesk.service.plan.paper.wizard"
    _description = "Record a Signed Service Plan Confirmation"

    plan_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Service Plan",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="plan_id.partner_id")
    paper_scan = fields.Binary(string="Scan of the Signed Confirmation", required=True)
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

    @api.depends("plan_id")
    def _compute_signer_partner_id(self):
        for wizard in self:
            wizard.signer_partner_id = wizard.plan_id.contact_id

    @api.depends("signer_partner_id")
    def _compute_paper_signer(self):
        for wizard in self:
            wizard.paper_signer = wizard.signer_partner_id.name or wizard.paper_signer

    def action_record(self):
        self.ensure_one()
        self.plan_id.check_access("write")
        self.plan_id._record_paper_confirmation(
            self.paper_scan,
            self.paper_scan_filename,
            self.paper_signer,
            self.paper_date,
            self.signer_partner_id,
        )
        return {"type": "ir.actions.act_window_close"}
