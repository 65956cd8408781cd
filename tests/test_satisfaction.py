# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from psycopg2.errors import CheckViolation

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.helpdesk_service_agreement.models.system_fields import system_write

from .satisfaction_common import SATISFACTION, SatisfactionCommon
from .test_archive import pdf_text


@tagged("post_install", "-at_install")
class TestSatisfaction(SatisfactionCommon):
    """The survey after an accepted acceptance form: one invitation, the
    scores of the answer, a complaint for the dissatisfied, a reminder and
    the expiry."""

    # ------------------------------------------------------------------
    # Invitation
    # ------------------------------------------------------------------

    def test_accepting_invites_the_signer_once(self):
        acceptance, satisfaction = self._accepted(self.ticket | self.ticket_2)
        self.assertEqual(len(satisfaction), 1)
        self.assertEqual(satisfaction.state, "invited")
        self.assertEqual(satisfaction.name, acceptance.name)
        self.assertEqual(satisfaction.ticket_ids, self.ticket | self.ticket_2)
        self.assertEqual(satisfaction.partner_id, self.customer)
        self.assertEqual(satisfaction.signer_partner_id, self.contact)
        self.assertEqual(satisfaction.agreement_id, self.agreement)
        self.assertEqual(satisfaction.team_id, self.team_support)
        self.assertEqual(satisfaction.user_id, self.agent)
        self.assertEqual(acceptance.satisfaction_count, 1)
        self.assertEqual(self.ticket.satisfaction_count, 1)
        user_input = satisfaction.user_input_id
        self.assertEqual(user_input.survey_id, self.survey)
        self.assertEqual(user_input.partner_id, self.contact)
        self.assertEqual(user_input.state, "new")
        self.assertEqual(user_input.deadline, satisfaction.deadline)
        self.assertAlmostEqual(
            user_input.deadline,
            satisfaction.date_invited + timedelta(days=30),
            delta=timedelta(seconds=5),
        )
        self.assertTrue(satisfaction.date_reminder_due > satisfaction.date_invited)
        # the e-mail: to the signer, with the survey's token link
        message = satisfaction.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self.contact, message.partner_ids)
        self.assertIn(user_input.access_token, message.body)
        self.assertIn(acceptance.name, message.subject)
        self.assertIn(satisfaction.get_base_url(), message.body)
        # the hook again: no second invitation
        acceptance._after_accept()
        acceptance._satisfaction_invite()
        self.assertEqual(
            self.env[SATISFACTION].search_count(
                [("acceptance_id", "=", acceptance.id)]
            ),
            1,
        )
        self.assertEqual(
            self.env["survey.user_input"].search_count(
                [
                    ("survey_id", "=", self.survey.id),
                    ("partner_id", "=", self.contact.id),
                ]
            ),
            1,
        )

    def test_no_survey_no_invitation(self):
        self.company.satisfaction_survey_id = False
        acceptance, satisfaction = self._accepted()
        self.assertEqual(acceptance.state, "accepted")
        self.assertFalse(satisfaction)

    def test_a_rectification_invites_nobody(self):
        acceptance = self._sent(self.ticket)
        line = acceptance.line_ids
        acceptance.sudo()._portal_request_rectification(
            {line.id: {"result": "fail", "reason": "Still jams"}}, self.contact
        )
        self.assertFalse(
            self.env[SATISFACTION].search([("acceptance_id", "=", acceptance.id)])
        )

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------

    def test_satisfied_answer_stores_its_scores(self):
        _acceptance, satisfaction = self._accepted()
        self._answer(satisfaction, 5, 4, 5, 9, "Very good service")
        self.assertEqual(satisfaction.state, "answered")
        self.assertTrue(satisfaction.date_answered)
        self.assertEqual(satisfaction.score_response_speed, 5)
        self.assertEqual(satisfaction.score_resolution, 4)
        self.assertEqual(satisfaction.score_communication, 5)
        self.assertEqual(satisfaction.score_recommend, 9)
        self.assertAlmostEqual(satisfaction.score_average, 14 / 3, places=2)
        self.assertTrue(satisfaction.is_promoter)
        self.assertEqual(satisfaction.recommend_rate, 100)
        self.assertFalse(satisfaction.dissatisfied)
        self.assertEqual(satisfaction.comments, "Very good service")
        self.assertFalse(satisfaction.complaint_ticket_id)

    def test_dissatisfied_answer_opens_one_complaint(self):
        _acceptance, satisfaction = self._accepted(self.ticket | self.ticket_2)
        self._answer(satisfaction, 2, 2, 3, 4, "Slow <b>and</b> nobody called back")
        self.assertEqual(satisfaction.state, "answered")
        self.assertAlmostEqual(satisfaction.score_average, 7 / 3, places=2)
        self.assertFalse(satisfaction.is_promoter)
        self.assertEqual(satisfaction.recommend_rate, 0)
        self.assertTrue(satisfaction.dissatisfied)
        complaint = satisfaction.complaint_ticket_id
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.request_type, "complaint")
        self.assertEqual(complaint.complaint_satisfaction_id, satisfaction)
        self.assertEqual(complaint.complaint_channel, "survey")
        self.assertEqual(complaint.complained_ticket_id, self.ticket)
        # the complaints' owner has it on their list
        self.assertTrue(complaint.complaint_owner_id)
        self.assertEqual(complaint.partner_id, self.contact)
        self.assertEqual(complaint.company_id, self.company)
        self.assertIn(satisfaction.name, complaint.name)
        # the customer's comment is text, not markup
        self.assertIn("Slow &lt;b&gt;and&lt;/b&gt; nobody", complaint.description)
        for ticket in self.ticket | self.ticket_2:
            self.assertIn(
                complaint.display_name,
                "".join(ticket.message_ids.mapped("body")),
            )
        # processing again (or the survey marking it done again): nothing new
        satisfaction._process_answers()
        satisfaction.sudo().user_input_id._mark_done()
        complaints = self.env["helpdesk.ticket"].search(
            [("complaint_satisfaction_id", "=", satisfaction.id)]
        )
        self.assertEqual(complaints, complaint)
        self.assertEqual(satisfaction.complaint_ticket_id, complaint)

    def test_threshold_is_the_company_setting(self):
        self.company.satisfaction_threshold = 4.5
        _acceptance, satisfaction = self._accepted()
        self._answer(satisfaction, 5, 4, 4, 10)
        self.assertTrue(satisfaction.dissatisfied, "4.33 is below 4.5")
        self.assertTrue(satisfaction.complaint_ticket_id)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(CheckViolation),
            self.cr.savepoint(),
        ):
            self.company.satisfaction_threshold = 6
            self.env.flush_all()

    def test_score_outside_the_scale_is_refused(self):
        _acceptance, satisfaction = self._accepted()
        for key, value in (
            ("response_speed", "7"),
            ("response_speed", "-1"),
            ("response_speed", "0"),
            ("response_speed", "2.5"),
            ("response_speed", "x"),
            ("recommend", "11"),
        ):
            with self.subTest(question=key, value=value):
                errors = self.questions[key].validate_question(value)
                self.assertIn(self.questions[key].id, errors)
        self.assertEqual(self.questions["recommend"].validate_question("0"), {})
        self.assertEqual(self.questions["response_speed"].validate_question("5"), {})
        self.assertFalse(satisfaction.sudo().user_input_id.user_input_line_ids)
        self.assertEqual(satisfaction.score_response_speed, 0)

    def test_scores_out_of_range_in_the_database(self):
        _acceptance, satisfaction = self._accepted()
        for fname, value in (("score_resolution", 6), ("score_recommend", 11)):
            with (
                self.subTest(field=fname),
                mute_logger("odoo.sql_db"),
                self.assertRaises(CheckViolation),
                self.cr.savepoint(),
                system_write(fname),
            ):
                satisfaction.sudo().write({fname: value})
                self.env.flush_all()

    def test_dimension_needs_its_scale(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["survey.question"].create(
                {
                    "survey_id": self.survey.id,
                    "title": "Speed out of 10",
                    "question_type": "scale",
                    "scale_min": 0,
                    "scale_max": 10,
                    "satisfaction_dimension": "response_speed",
                }
            )

    def test_nobody_deletes_feedback(self):
        _acceptance, satisfaction = self._accepted()
        with self.assertRaises(UserError):
            satisfaction.sudo().unlink()

    # ------------------------------------------------------------------
    # Reminder and expiry
    # ------------------------------------------------------------------

    def _messages(self, satisfaction):
        return satisfaction.message_ids.filtered(lambda m: m.message_type == "comment")

    def test_reminder_after_working_days_then_expiry(self):
        cron = "helpdesk_service_agreement.ir_cron_service_satisfaction_reminder"
        # Monday morning (UTC; the company's calendar works 8 hours a day)
        with self._at("2026-11-23 09:00:00"):
            _acceptance, satisfaction = self._accepted()
            _acceptance2, answered = self._accepted(self.ticket_2)
        self.assertEqual(len(self._messages(satisfaction)), 1)
        with self._at("2026-11-25 09:00:00"):
            self._run_cron(cron)
        self.assertFalse(satisfaction.date_reminded, "two working days only")
        with self._at("2026-11-26 08:00:00"):
            self._answer(answered, 4, 4, 4, 8)
        with self._at("2026-11-27 12:00:00"):
            self._run_cron(cron)
            self._run_cron(cron)
        self.assertEqual(
            satisfaction.date_reminded,
            fields.Datetime.to_datetime("2026-11-27 12:00:00"),
        )
        self.assertEqual(len(self._messages(satisfaction)), 2)
        self.assertIn("Reminder", self._messages(satisfaction)[0].subject)
        self.assertFalse(answered.date_reminded, "an answered survey is not reminded")
        self.assertEqual(len(self._messages(answered)), 1)
        with self._at("2026-12-24 09:00:00"):
            self._run_cron(cron)
        self.assertEqual(satisfaction.state, "expired")
        self.assertEqual(answered.state, "answered")
        self.assertEqual(len(self._messages(satisfaction)), 2)

    def test_no_reminder_when_the_delay_is_zero(self):
        self.company.satisfaction_reminder_days = 0
        _acceptance, satisfaction = self._accepted()
        self.assertFalse(satisfaction.date_reminder_due)
        self.env[SATISFACTION]._cron_send_reminders()
        self.assertFalse(satisfaction.date_reminded)


@tagged("post_install", "-at_install")
class TestSatisfactionProcessingCost(SatisfactionCommon):
    """Processing answers costs the same queries for 1 and for 50: the
    lines, questions and thresholds are read for the batch."""

    def _answered(self, count):
        Ticket = self.env["helpdesk.ticket"]
        satisfactions = self.env[SATISFACTION]
        for index in range(count):
            ticket = Ticket.create(
                {
                    "name": f"Survey cost {count}-{index}",
                    "description": "<p>x</p>",
                    "partner_id": self.contact.id,
                }
            )
            _acceptance, satisfaction = self._accepted(ticket)
            satisfactions |= self._answer(satisfaction, 5, 4, 4, 9)
        return satisfactions

    def _process_count(self, satisfactions):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        satisfactions._process_answers()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_processing_one_or_fifty_answers(self):
        one = self._process_count(self._answered(1))
        fifty_records = self._answered(50)
        fifty = self._process_count(fifty_records)
        self.assertEqual(set(fifty_records.mapped("state")), {"answered"})
        self.assertEqual(set(fifty_records.mapped("score_resolution")), {4})
        self.assertEqual(one, fifty, (one, fifty))


@tagged("post_install", "-at_install")
class TestSatisfactionArchive(SatisfactionCommon):
    def test_answered_feedback_is_filed(self):
        _acceptance, satisfaction = self._accepted()
        self._answer(satisfaction, 5, 4, 5, 9, "Quick and clear")
        Request = self.env["helpdesk.service.archive.request"].sudo()
        for _round in range(3):
            Request.search([("state", "=", "pending")])._file()
        documents = (
            self.env["helpdesk.service.archive.document"]
            .sudo()
            .search([("partner_id", "=", self.customer.id)])
        )
        filed = documents.filtered(lambda d: d.document_type == "satisfaction")
        self.assertEqual(
            (filed.res_model, filed.res_id), (SATISFACTION, satisfaction.id)
        )
        self.assertIn("acceptance", documents.mapped("document_type"))
        text = pdf_text(filed._read_files()[filed.id])
        for expected in ("Satisfaction Feedback", "Quick and clear", "9 / 10"):
            self.assertIn(expected, text)
        # processed again: nothing filed twice
        satisfaction._process_answers()
        self.assertFalse(Request.search([("state", "=", "pending")]))

    def test_summary_reads_the_answers(self):
        _acceptance, happy = self._accepted()
        self._answer(happy, 5, 4, 5, 9)
        _acceptance, unhappy = self._accepted(self.ticket_2)
        self._answer(unhappy, 2, 2, 3, 4)
        today = fields.Date.context_today(self.env.user)
        summary = (
            self.env["helpdesk.service.summary"]
            .with_user(self.lead)
            .create(
                {
                    "scope": "customer",
                    "partner_id": self.customer.id,
                    "date_start": today.replace(day=1),
                    "date_end": today,
                }
            )
        )
        summary.action_refresh_figures()
        self.assertEqual(summary.satisfaction_count, 2)
        self.assertAlmostEqual(summary.score_response_speed, 3.5)
        self.assertAlmostEqual(summary.score_resolution, 3.0)
        self.assertAlmostEqual(summary.score_communication, 4.0)
        # one promoter of two answers
        self.assertAlmostEqual(summary.recommend_rate, 50.0)
        self.assertEqual(summary.complaint_count, 1)
