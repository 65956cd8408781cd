# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_service_sla_statement_demo.xml): the SLA
# statement of a demo agreement for the current month, so that the demo's
# breached tickets show in it, approved by the demo manager. Nothing here is
# called outside the demo data.
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class HelpdeskServiceSlaStatement(models.Model):
    _inherit = "helpdesk.service.sla.statement"

    @api.model
    def _demo_statement(self, agreement_id, manager_xmlid, note):
        """The statement of agreement ``agreement_id`` for this month,
        with ``note``, approved by the manager ``manager_xmlid``. An
        agreement that has it already is left."""
        agreement = self.env["agreement"].browse(agreement_id).exists()
        if not agreement:
            return
        start = fields.Date.context_today(self).replace(day=1)
        end = start + relativedelta(months=1, days=-1)
        statement = self._create_statements(agreement, start, end)
        if not statement:
            return
        manager = self.env.ref(manager_xmlid)
        statement = statement.with_user(manager)
        statement.note = note
        statement.action_approve()
