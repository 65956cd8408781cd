# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, http
from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class SatisfactionSurvey(Survey):
    """A page of a satisfaction survey is saved whole or not at all, and only
    while its feedback waits for the answer.

    Odoo's survey saves the valid answers of a page before it reports the
    refused ones; with a survey that does not let the customer go back (the
    shipped satisfaction survey), every later submission of that page then
    fails with "This answer cannot be overwritten" and the customer can never
    answer. Here a page with one refused answer saves nothing, and the
    customer corrects it and submits again."""

    @http.route()
    def survey_submit(self, survey_token, answer_token, **post):
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=True
        )
        answer_sudo = access_data["answer_sudo"]
        # a finished answer: Odoo's own submission refuses it
        if access_data["validity_code"] is True and answer_sudo.state != "done":
            # the answer was reached with its own token (checked above)
            feedback = (
                request.env["helpdesk.service.satisfaction"]
                .sudo()
                .search([("user_input_id", "=", answer_sudo.id)], limit=1)
            )
            if feedback:
                if feedback.state != "invited" or (
                    feedback.deadline and feedback.deadline < fields.Datetime.now()
                ):
                    return {}, {"error": "answer_deadline"}
                errors = self._satisfaction_page_errors(
                    access_data["survey_sudo"], answer_sudo, post
                )
                if errors:
                    return {}, {"error": "validation", "fields": errors}
        return super().survey_submit(survey_token, answer_token, **post)

    def _satisfaction_page_errors(self, survey_sudo, answer_sudo, post):
        """The errors of the submitted page's answers, all validated before
        any is saved (the checks of Odoo's own submission, in its order)."""
        questions, _page_or_question_id = survey_sudo._get_survey_questions(
            answer=answer_sudo,
            page_id=post.get("page_id"),
            question_id=post.get("question_id"),
        )
        inactive = (
            request.env["survey.question"]
            if answer_sudo.is_session_answer
            else answer_sudo._get_inactive_conditional_questions()
        )
        errors = {}
        for question in questions - inactive:
            answer, comment = self._extract_comment_from_answers(
                question, post.get(str(question.id))
            )
            errors.update(question.validate_question(answer, comment))
        return errors
