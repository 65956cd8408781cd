# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .acceptance_common import AcceptanceCommon, signature_png

SATISFACTION = "helpdesk.service.satisfaction"
SURVEY = "helpdesk_service_agreement.survey_customer_satisfaction"


class SatisfactionCommon(AcceptanceCommon):
    """The shipped satisfaction survey configured on the company (threshold
    3, reminder after 3 working days, 30 days to answer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref(SURVEY)
        cls.company.write(
            {
                "satisfaction_survey_id": cls.survey.id,
                "satisfaction_threshold": 3.0,
                "satisfaction_reminder_days": 3,
                "satisfaction_validity_days": 30,
            }
        )
        cls.questions = {
            question.satisfaction_dimension or question.question_type: question
            for question in cls.survey.question_ids
        }

    @classmethod
    def _accepted(cls, tickets=None, user=None):
        """A form sent to the customer and signed on the portal by the
        contact; returns the form and its satisfaction feedback."""
        acceptance = cls._request(tickets or cls.ticket, user=user)
        acceptance.line_ids.with_user(user or cls.agent).write(
            {"acceptance_standard": "Prints 20 pages a minute."}
        )
        acceptance.with_user(user or cls.agent).action_send()
        acceptance.sudo()._portal_accept("Wang Wei", signature_png(), cls.contact)
        satisfaction = cls.env[SATISFACTION].search(
            [("acceptance_id", "=", acceptance.id)]
        )
        return acceptance, satisfaction

    @classmethod
    def _answer(
        cls, satisfaction, speed, resolution, communication, recommend, text=""
    ):
        """The customer's answer saved as the survey's submit does, then
        finished."""
        user_input = satisfaction.sudo().user_input_id
        for key, value in (
            ("response_speed", speed),
            ("resolution", resolution),
            ("communication", communication),
            ("recommend", recommend),
            ("text_box", text),
        ):
            user_input._save_lines(
                cls.questions[key], str(value) if value != "" else ""
            )
        user_input._mark_done()
        return satisfaction
