# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A finished answer to a satisfaction survey fills its feedback."""
        result = super()._mark_done()
        # the answer is the customer's own, reached with its token: the
        # feedback is the system's
        satisfactions = (
            self.env["helpdesk.service.satisfaction"]
            .sudo()
            .search([("user_input_id", "in", self.ids)])
        )
        if satisfactions:
            satisfactions._process_answers()
        return result
