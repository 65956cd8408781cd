# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A member added to a helpdesk team joins the service team that day, unless
# a join date was recorded before: the onboarding days count from it.
from odoo import api, fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._set_service_join_date()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "user_ids" in vals or "user_id" in vals:
            self._set_service_join_date()
        return res

    def _set_service_join_date(self):
        # sudo: the join date is the system's record of the membership the
        # caller just wrote (team configuration is a manager's right)
        newcomers = (
            (self.user_ids | self.user_id)
            .sudo()
            .filtered(lambda user: not user.share and not user.service_join_date)
        )
        if newcomers:
            newcomers.write({"service_join_date": fields.Date.context_today(self)})
