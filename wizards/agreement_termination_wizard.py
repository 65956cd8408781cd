# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AgreementTerminationWizard(models.TransientModel):
    _name = "agreement.termination.wizard"
    _description = "Terminate a Service Agreement"

    agreement_id = fields.Many2one(comodel_name="agreement", required=True)
    termination_date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Text(required=True)

    def action_terminate(self):
        self.ensure_one()
        self.agreement_id._terminate(self.termination_date, self.reason)
        return {"type": "ir.actions.act_window_close"}
