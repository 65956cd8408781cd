# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskServiceAcceptancePaperWizard(models.TransientModel):
    """Record an acceptance form the customer signed on paper: the scan, who
    signed and when. Every deliverable passes, as with a signature online."""

    _name = "helpdesk.service.acceptance.paper.wizard"
    _inherit = "helpdesk.service.signed.paper.wizard"
    _description = "Record a Signed Paper Acceptance Form"

    _document_field = "acceptance_id"

    acceptance_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance",
        string="Acceptance Form",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="acceptance_id.partner_id")
    paper_scan = fields.Binary(string="Scan of the Signed Form")
