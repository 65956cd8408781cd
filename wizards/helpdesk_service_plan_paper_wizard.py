# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskServicePlanPaperWizard(models.TransientModel):
    """Record a plan confirmation (服务方案确认书) the customer signed on
    paper: the scan, who signed and when. The plan is confirmed, as with a
    signature online."""

    _name = "helpdesk.service.plan.paper.wizard"
    _inherit = "helpdesk.service.signed.paper.wizard"
    _description = "Record a Signed Service Plan Confirmation"

    _document_field = "plan_id"

    plan_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Service Plan",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="plan_id.partner_id")
    paper_scan = fields.Binary(string="Scan of the Signed Confirmation")
