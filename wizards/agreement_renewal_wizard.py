# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class AgreementRenewalWizard(models.TransientModel):
    _name = "agreement.renewal.wizard"
    _description = "Renew a Service Agreement"

    agreement_id = fields.Many2one(comodel_name="agreement", required=True)
    start_date = fields.Date(
        compute="_compute_dates", store=True, readonly=False, required=True
    )
    end_date = fields.Date(
        compute="_compute_dates", store=True, readonly=False, required=True
    )

    @api.depends("agreement_id")
    def _compute_dates(self):
        for wizard in self:
            end = wizard.agreement_id.end_date
            if end:
                wizard.start_date = end + relativedelta(days=1)
                wizard.end_date = end + relativedelta(years=1)
            else:
                wizard.start_date = wizard.end_date = False

    def action_renew(self):
        self.ensure_one()
        successor = self.agreement_id._renew(self.start_date, self.end_date)
        return {
            "type": "ir.actions.act_window",
            "res_model": "agreement",
            "res_id": successor.id,
            "view_mode": "form",
            "target": "current",
        }
