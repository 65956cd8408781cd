# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_service_satisfaction_demo.xml): the customers
# of the demo acceptance forms answer the satisfaction survey. Nothing here is
# called outside the demo data.
from odoo import api, models


class HelpdeskServiceSatisfaction(models.Model):
    _inherit = "helpdesk.service.satisfaction"

    @api.model
    def _demo_answer(self, acceptance_id, scores, comments=False):
        """The invited contact of acceptance form ``acceptance_id`` answers
        the survey: ``scores`` by dimension, then ``comments`` on the first
        free-text question. An answer already given is left as it is."""
        satisfaction = self.sudo().search([("acceptance_id", "=", acceptance_id)])
        user_input = satisfaction.user_input_id
        if not user_input or user_input.state == "done":
            return
        for question in user_input.survey_id.question_ids:
            dimension = question.satisfaction_dimension
            if dimension in scores:
                user_input._save_lines(question, str(scores[dimension]))
            elif question.question_type == "text_box" and comments:
                user_input._save_lines(question, comments)
                comments = False
        user_input._mark_done()
