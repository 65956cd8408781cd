# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import unittest

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .acceptance_common import ACCEPTANCE, signature_png
from .plan_common import PlanCommon
from .test_agreement_report import pdf_to_text

CHECK = "helpdesk.service.plan.quality.check"
WIZARD = "helpdesk.service.acceptance.override.wizard"
REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_acceptance"
REASON = "The audit is tomorrow; the test report follows next week."


@tagged("post_install", "-at_install")
class TestAcceptanceGate(PlanCommon, HttpCase):
    """Acceptance follows the work: a form of a confirmed plan's
    deliverables is requested and sent once their tasks are done and their
    required quality checks passed, or with a manager's recorded reason; every
    round's form lists the whole deliverables list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._confirmed()
        cls.fuser, cls.report = cls.plan.task_ids.sorted(
            lambda task: task.service_plan_deliverable_id.sequence
        )

    def _check(self, task, result="pass"):
        self.env[CHECK].with_user(self.lead).create(
            {
                "task_id": task.id,
                "criteria": "20 pages a minute",
                "result": result,
                "corrective_action": "Replace the roller" if result == "fail" else "",
            }
        )

    def _finish(self, tasks):
        for task in tasks:
            self._check(task)
        tasks.with_user(self.agent).write({"state": "1_done"})

    def _render_text(self, acceptance):
        """The printed form's text: the PDF read back when wkhtmltopdf and
        poppler are there, the report's HTML otherwise."""
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        html = Report._render_qweb_html(REPORT, acceptance.ids)[0].decode()
        if Report.get_wkhtmltopdf_state() != "ok" or not shutil.which("pdftotext"):
            raise unittest.SkipTest("wkhtmltopdf or poppler-utils is not available")
        return html, pdf_to_text(Report._render_qweb_pdf(REPORT, acceptance.ids)[0])

    # ------------------------------------------------------------------
    # The gate
    # ------------------------------------------------------------------

    def test_request_blocked_on_unfinished_task(self):
        with self._refused(UserError, "finished work only") as catcher:
            self._request(self.ticket)
        message = str(catcher.exception)
        self.assertIn("Fuser replaced: task Fuser replaced is In Progress", message)
        self.assertIn("quality check of Test report has not passed", message)
        self.assertFalse(
            self.env[ACCEPTANCE].search([("ticket_ids", "=", self.ticket.id)])
        )
        # one task done: the other one still blocks, the done one is not listed
        self._finish(self.fuser)
        with self._refused(UserError, "Test report is In Progress") as catcher:
            self._request(self.ticket)
        self.assertNotIn("Fuser replaced:", str(catcher.exception))
        # a cancelled task is not finished work
        self.report.with_user(self.agent).write({"state": "1_canceled"})
        with self._refused(UserError, "Test report was cancelled"):
            self._request(self.ticket)
        self._finish(self.report)
        acceptance = self._request(self.ticket)
        self.assertEqual(len(acceptance.line_ids), 2)
        acceptance.with_user(self.agent).action_send()
        self.assertEqual(acceptance.state, "sent")
        self.assertFalse(acceptance.override_date)

    def test_send_blocked_on_quality_check_not_passed(self):
        self._finish(self.fuser | self.report)
        acceptance = self._request(self.ticket)
        # a later check fails: the latest result is what counts
        self._check(self.report, result="fail")
        self.assertEqual(self.report.quality_result, "fail")
        with self._refused(
            UserError, "the quality check of Test report has not passed"
        ) as catcher:
            acceptance.with_user(self.agent).action_send()
        self.assertNotIn("task Test report is", str(catcher.exception), "it is done")
        self.assertEqual(acceptance.state, "draft")
        # nor recorded as signed on paper without being sent
        with self._refused(UserError, "finished work only"):
            acceptance.with_user(self.agent)._record_paper_form(
                "JVBERi0xLjQK", "signed.pdf", "Wang Wei", "2026-03-01", self.contact
            )
        self.assertEqual(acceptance.state, "draft")
        self._check(self.report)
        acceptance.with_user(self.agent).action_send()
        self.assertEqual(acceptance.state, "sent")

    # ------------------------------------------------------------------
    # The manager's override
    # ------------------------------------------------------------------

    def test_manager_override_recorded_on_the_form_and_pdf(self):
        # the manager requesting unfinished work gets the dialog, no form yet
        action = self.ticket.with_user(self.manager).action_request_acceptance()
        self.assertEqual(action["res_model"], WIZARD)
        self.assertFalse(
            self.env[ACCEPTANCE].search([("ticket_ids", "=", self.ticket.id)])
        )
        wizard = Form(
            self.env[WIZARD].with_user(self.manager).with_context(**action["context"])
        )
        self.assertIn("Fuser replaced", wizard.unfinished_work)
        with self._refused(UserError, "Say why"):
            self.ticket.with_user(self.manager)._request_acceptance_with_override("  ")
        wizard.reason = REASON
        result = wizard.save().action_confirm()
        acceptance = self.env[ACCEPTANCE].browse(result["res_id"])
        self.assertEqual(acceptance.override_reason, REASON)
        self.assertEqual(acceptance.override_user_id, self.manager)
        self.assertTrue(acceptance.override_date)
        self.assertIn(
            "Test report: task Test report is In Progress", acceptance.override_work
        )
        # noted in the chatter with the unfinished work
        note = acceptance.message_ids.filtered(
            lambda message: (
                "allows the customer to accept unfinished work" in message.body
            )
        )
        self.assertIn(REASON, note.body)
        self.assertIn("Fuser replaced", note.body)
        # the agent sends it now, and the customer signs it
        acceptance.with_user(self.agent).action_send()
        self.assertEqual(acceptance.state, "sent")
        acceptance.sudo()._portal_accept("Wang Wei", signature_png(), self.contact)
        self.assertEqual(acceptance.state, "accepted")
        html, text = self._render_text(acceptance)
        for printed in (html, " ".join(text.split())):
            self.assertIn("Accepted with unfinished work", printed)
            self.assertIn(self.manager.name, printed)
            self.assertIn(REASON, printed)

    def test_manager_override_when_sending(self):
        self._finish(self.fuser | self.report)
        acceptance = self._request(self.ticket)
        self.report.sudo().write({"state": "01_in_progress"})
        action = acceptance.with_user(self.manager).action_send()
        self.assertEqual(action["res_model"], WIZARD)
        self.assertEqual(acceptance.state, "draft")
        wizard = Form(
            self.env[WIZARD].with_user(self.manager).with_context(**action["context"])
        )
        wizard.reason = REASON
        wizard.save().action_confirm()
        self.assertEqual(acceptance.state, "sent")
        self.assertEqual(acceptance.override_user_id, self.manager)
        # the next round asks again: the reason held for this form only
        acceptance.sudo()._portal_request_rectification(
            {
                line.id: {"result": "fail", "reason": "Not finished"}
                for line in acceptance.line_ids
            },
            self.contact,
        )
        with self._refused(UserError, "finished work only"):
            acceptance.next_id.with_user(self.agent).action_send()

    def test_agent_cannot_override(self):
        with self._refused(UserError, "ask a customer service manager"):
            self.ticket.with_user(self.agent).action_request_acceptance()
        with self._refused(AccessError, "Only a customer service manager"):
            self.env[WIZARD].with_user(self.agent).create(
                {"ticket_ids": self.ticket.ids, "reason": REASON}
            )
        acceptance = self.ticket.sudo()._create_acceptance()
        with self._refused(AccessError, "Only a customer service manager"):
            acceptance.with_user(self.agent)._record_override(REASON)
        with self._refused(AccessError, "Only a customer service manager"):
            acceptance.with_user(self.agent).action_open_override_wizard()
        # the fields are the override's only, for the manager too
        for user in (self.agent, self.manager):
            with self._refused(AccessError, "set by the system"):
                acceptance.with_user(user).write({"override_reason": REASON})
        self.assertFalse(acceptance.override_date)
        with self._refused(UserError, "finished work only"):
            acceptance.with_user(self.agent).action_send()
        self.assertEqual(acceptance.state, "draft")

    # ------------------------------------------------------------------
    # Rounds: the whole deliverables list every time
    # ------------------------------------------------------------------

    def test_rectification_round_lists_every_deliverable(self):
        self._finish(self.fuser | self.report)
        first = self._sent(self.ticket)
        failed, passed = first.line_ids
        first.sudo()._portal_request_rectification(
            {
                failed.id: {"result": "fail", "reason": "Only 12 pages a minute"},
                passed.id: {"result": "pass", "remark": "Signed by our IT lead"},
            },
            self.contact,
        )
        second = first.next_id
        rework, kept = second.line_ids
        self.assertEqual(
            second.line_ids.mapped("deliverable"), ["Fuser replaced", "Test report"]
        )
        self.assertEqual((rework.previous_line_id, rework.result), (failed, False))
        self.assertEqual(rework.previous_reason, "Only 12 pages a minute")
        self.assertEqual((kept.result, kept.passed_round), ("pass", 1))
        self.assertEqual(kept.customer_remark, "Signed by our IT lead")
        # the passed deliverable stays as the customer passed it
        with self._refused(UserError, "passed in an earlier round"):
            kept.with_user(self.agent).write({"acceptance_standard": "Less"})
        with self._refused(UserError, "passed in an earlier round"):
            kept.with_user(self.agent).unlink()
        second.with_user(self.agent).action_send()
        # the customer's page answers the reworked deliverable only
        response = self.url_open(second.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'name="result_{rework.id}"', response.text)
        self.assertNotIn(f'name="result_{kept.id}"', response.text)
        self.assertIn("Passed in round 1", response.text)
        # and cannot fail the passed one again
        with self._refused(UserError, "No deliverable failed"):
            second.sudo()._portal_request_rectification(
                {
                    rework.id: {"result": "pass"},
                    kept.id: {"result": "fail", "reason": "Changed my mind"},
                },
                self.contact,
            )
        self.assertEqual(kept.result, "pass")
        # signed last: every deliverable with its result and its round
        second.sudo()._portal_accept("Wang Wei", signature_png(), self.contact)
        self.assertEqual(second.state, "accepted")
        self.assertEqual(
            [
                (line.deliverable, line.result, line.passed_round)
                for line in second.line_ids
            ],
            [("Fuser replaced", "pass", 2), ("Test report", "pass", 1)],
        )
        html, text = self._render_text(second)
        self.assertIn("Passed in Round", html)
        text = " ".join(text.split())
        for printed in ("Passed in Round", "Fuser replaced", "Test report"):
            self.assertIn(printed, text)
