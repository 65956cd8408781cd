# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .satisfaction_common import SatisfactionCommon


@tagged("post_install", "-at_install")
class TestSatisfactionPortal(SatisfactionCommon, HttpCase):
    """The customer answers the survey as Odoo's survey pages do: the link of
    the invitation, then the survey's own routes with the answer's token."""

    def setUp(self):
        super().setUp()
        self.acceptance, self.satisfaction = self._accepted(self.ticket | self.ticket_2)
        self.user_input = self.satisfaction.sudo().user_input_id
        self.survey_token = self.survey.access_token
        self.answer_token = self.user_input.access_token

    def _submit(self, values):
        self.make_jsonrpc_request(
            f"/survey/begin/{self.survey_token}/{self.answer_token}", {}
        )
        return self.make_jsonrpc_request(
            f"/survey/submit/{self.survey_token}/{self.answer_token}",
            {str(self.questions[key].id): value for key, value in values.items()},
        )

    def _values(self, speed="2", resolution="2", communication="3", recommend="4"):
        return {
            "response_speed": speed,
            "resolution": resolution,
            "communication": communication,
            "recommend": recommend,
            "text_box": "Nobody called back.",
        }

    def test_customer_answers_by_the_link(self):
        url = self.satisfaction._get_survey_url()
        self.assertIn(self.answer_token, url)
        path = url[len(self.satisfaction.get_base_url()) :]
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.survey.title, response.text)
        self._submit(self._values())
        self.satisfaction.invalidate_recordset()
        self.assertEqual(self.user_input.state, "done")
        self.assertEqual(self.satisfaction.state, "answered")
        self.assertEqual(
            (
                self.satisfaction.score_response_speed,
                self.satisfaction.score_resolution,
                self.satisfaction.score_communication,
                self.satisfaction.score_recommend,
            ),
            (2, 2, 3, 4),
        )
        self.assertTrue(self.satisfaction.dissatisfied)
        self.assertEqual(self.satisfaction.comments, "Nobody called back.")
        complaint = self.satisfaction.complaint_ticket_id
        self.assertEqual(complaint.complaint_satisfaction_id, self.satisfaction)
        # a second submission is refused by the survey: still one complaint
        result = self.make_jsonrpc_request(
            f"/survey/submit/{self.survey_token}/{self.answer_token}",
            {str(self.questions["response_speed"].id): "1"},
        )
        self.assertEqual(result[1].get("error"), "unauthorized")
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [("complaint_satisfaction_id", "=", self.satisfaction.id)]
            ),
            1,
        )

    def test_forged_score_is_refused(self):
        # Odoo's survey page offers only the scale's values: these are forged
        # (each on a fresh answer: the survey saves a page once)
        for key, bad in (
            ("response_speed", "7"),
            ("response_speed", "-1"),
            ("response_speed", "0"),
            ("resolution", "3.5"),
            ("communication", "many"),
            ("recommend", "11"),
        ):
            with self.subTest(question=key, score=bad):
                user_input = self.survey.sudo()._create_answer(
                    partner=self.contact, check_attempts=False
                )
                self.answer_token = user_input.access_token
                question = self.questions[key]
                result = self._submit(dict(self._values(), **{key: bad}))
                self.assertEqual(result[1].get("error"), "validation")
                self.assertEqual(list(result[1]["fields"]), [str(question.id)])
                self.assertIn("whole number", result[1]["fields"][str(question.id)])
                self.assertNotEqual(user_input.state, "done")
                self.assertNotIn(question, user_input.user_input_line_ids.question_id)
        # the invitation itself: refused, nothing stored on the feedback
        self.answer_token = self.user_input.access_token
        result = self._submit(self._values(speed="6"))
        self.assertEqual(result[1].get("error"), "validation")
        self.assertNotEqual(self.user_input.state, "done")
        self.assertNotIn(
            self.questions["response_speed"],
            self.user_input.user_input_line_ids.question_id,
        )
        self.satisfaction.invalidate_recordset()
        self.assertEqual(self.satisfaction.state, "invited")
        self.assertEqual(self.satisfaction.score_response_speed, 0)
        self.assertFalse(self.satisfaction.complaint_ticket_id)

    def test_late_answer_is_refused(self):
        self.user_input.sudo().deadline = fields.Datetime.now() - timedelta(minutes=1)
        response = self.url_open(self.user_input.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.questions["response_speed"].title, response.text)
        result = self.make_jsonrpc_request(
            f"/survey/submit/{self.survey_token}/{self.answer_token}",
            {str(q.id): "5" for q in self.questions.values()},
        )
        self.assertEqual(result[1].get("error"), "answer_deadline")
        self.assertFalse(self.user_input.user_input_line_ids)
        self.satisfaction.invalidate_recordset()
        self.assertEqual(self.satisfaction.state, "invited")

    def test_wrong_token_is_refused(self):
        result = self.make_jsonrpc_request(
            f"/survey/submit/{self.survey_token}/not-a-token",
            {str(q.id): "5" for q in self.questions.values()},
        )
        self.assertEqual(result[1].get("error"), "token_wrong")
        self.assertFalse(self.user_input.user_input_line_ids)

    def test_refused_page_saves_nothing_and_can_be_answered_again(self):
        """One out-of-range score refuses the whole page: none of its valid
        answers is saved, and the corrected page is then accepted (Odoo's
        survey would keep the valid answers and refuse every later
        submission with "This answer cannot be overwritten")."""
        result = self._submit(self._values(recommend="11"))
        self.assertEqual(result[1].get("error"), "validation")
        self.assertEqual(
            list(result[1]["fields"]), [str(self.questions["recommend"].id)]
        )
        self.assertFalse(self.user_input.user_input_line_ids)
        result = self._submit(self._values())
        self.assertFalse(result[1].get("error"), result)
        self.satisfaction.invalidate_recordset()
        self.assertEqual(self.user_input.state, "done")
        self.assertEqual(self.satisfaction.state, "answered")
        self.assertEqual(self.satisfaction.score_recommend, 4)

    def test_feedback_deadline_and_state_checked_on_arrival(self):
        """The feedback's own deadline and state are checked when the answer
        arrives, whatever the survey answer's own deadline says."""
        self.satisfaction.sudo().write(
            {"deadline": fields.Datetime.now() - timedelta(minutes=1)}
        )
        result = self._submit(self._values())
        self.assertEqual(result[1].get("error"), "answer_deadline")
        self.assertFalse(self.user_input.user_input_line_ids)
        self.satisfaction.sudo().write(
            {"deadline": fields.Datetime.now() + timedelta(days=1), "state": "expired"}
        )
        result = self._submit(self._values())
        self.assertEqual(result[1].get("error"), "answer_deadline")
        self.assertFalse(self.user_input.user_input_line_ids)
