# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ServiceCommon

CSRF = re.compile(r'(?:name="csrf_token" value=|csrf_token: )"([^"]+)"')


@tagged("post_install", "-at_install")
class TestComplaintPortal(ServiceCommon, HttpCase):
    """The customer files a complaint on the portal, follows it, reads its
    result (never the internal handling steps) and says whether it satisfies
    them: a POST with the CSRF token on a complaint they may see, with a
    result and no feedback yet; anything else changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_manager_id = cls.manager
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_cp_portal_a",
            password="hsa_cp_portal_a_pw",
            groups="base.group_portal",
            name="Li Portal",
            email="li.portal@example.com",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "HSA Customer B", "is_company": True}
        )
        cls.portal_user_b = new_test_user(
            cls.env,
            login="hsa_cp_portal_b",
            password="hsa_cp_portal_b_pw",
            groups="base.group_portal",
        )
        cls.portal_user_b.partner_id.parent_id = cls.customer_b
        cls.complaint = cls._create_ticket(
            name="Engineer was rude",
            request_type="complaint",
            partner_id=cls.portal_user.partner_id.id,
            complaint_steps="<p>SECRET-STEP: the engineer had a bad day.</p>",
            complaint_result="The engineer apologised; another one comes next time.",
        )

    def _page(self, ticket):
        return self.url_open(f"/my/ticket/{ticket.id}")

    def _feedback(self, ticket, feedback, csrf=True, token=None, page=None):
        data = {"feedback": feedback}
        if csrf:
            page = page or self.complaint
            response = self._page(page)
            match = CSRF.search(response.text)
            data["csrf_token"] = (
                match.group(1) if match else http.Request.csrf_token(self)
            )
        if token:
            data["access_token"] = token
        return self.url_open(
            f"/my/ticket/{ticket.id}/complaint_feedback",
            data=data,
            allow_redirects=False,
        )

    def _state(self, ticket):
        ticket.invalidate_recordset()
        return (
            ticket.complaint_feedback,
            ticket.complaint_result,
            ticket.problem_level,
            ticket.complaint_reopen_count,
            ticket.stage_id,
        )

    def test_file_a_complaint_on_the_portal(self):
        self.authenticate("hsa_cp_portal_a", "hsa_cp_portal_a_pw")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "Nobody called back",
                "description": "We called three times.",
                "request_type": "complaint",
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Nobody called back")]
        )
        self.assertEqual(ticket.request_type, "complaint")
        self.assertEqual(ticket.complaint_channel, "portal")
        self.assertEqual(ticket.problem_level, "2")
        self.assertEqual(ticket.complaint_owner_id, self.manager)
        self.assertTrue(
            ticket.activity_ids.filtered(
                lambda activity: activity.user_id == self.manager
            )
        )
        # its progress: no result yet, no feedback buttons
        page = self._page(ticket).text
        self.assertRegex(
            page, r"Complaint Channel:</strong>\s*<span[^>]*>Portal</span>"
        )
        self.assertIn("its result will be shown here", page)
        self.assertNotIn("complaint_feedback", page)

    def test_page_shows_the_result_never_the_steps(self):
        self.authenticate("hsa_cp_portal_a", "hsa_cp_portal_a_pw")
        page = self._page(self.complaint).text
        self.assertIn("another one comes next time", page)
        self.assertNotIn("SECRET-STEP", page)
        self.assertIn(f"/my/ticket/{self.complaint.id}/complaint_feedback", page)
        self.assertIn("Satisfied with the result", page)

    def test_satisfied(self):
        self.authenticate("hsa_cp_portal_a", "hsa_cp_portal_a_pw")
        response = self._feedback(self.complaint, "satisfied")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.complaint.complaint_feedback, "satisfied")
        self.assertTrue(self.complaint.complaint_feedback_date)
        page = self._page(self.complaint).text
        self.assertNotIn("Satisfied with the result", page)
        # a second feedback changes nothing
        before = self._state(self.complaint)
        self._feedback(self.complaint, "not_satisfied")
        self.assertEqual(self._state(self.complaint), before)

    def test_not_satisfied_reopens_one_level_up(self):
        self.authenticate("hsa_cp_portal_a", "hsa_cp_portal_a_pw")
        self._feedback(self.complaint, "not_satisfied")
        self.complaint.invalidate_recordset()
        self.assertEqual(self.complaint.problem_level, "3")
        self.assertEqual(self.complaint.complaint_reopen_count, 1)
        self.assertFalse(self.complaint.complaint_result)
        self.assertFalse(self.complaint.complaint_feedback)
        # no result: nothing more to answer
        before = self._state(self.complaint)
        self._feedback(self.complaint, "satisfied")
        self.assertEqual(self._state(self.complaint), before)

    def test_refused_requests_change_nothing(self):
        before = self._state(self.complaint)
        # without login: sent to the login page
        response = self.url_open(
            f"/my/ticket/{self.complaint.id}/complaint_feedback",
            data={
                "feedback": "satisfied",
                "csrf_token": CSRF.search(self.url_open("/web/login").text).group(1),
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (303, 400))
        self.assertEqual(self._state(self.complaint), before)
        # another customer's ticket, even with a wrong token
        self.authenticate("hsa_cp_portal_b", "hsa_cp_portal_b_pw")
        own_b = self._create_ticket(
            name="B's ticket", partner_id=self.portal_user_b.partner_id.id
        )
        response = self._feedback(self.complaint, "satisfied", page=own_b)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self._feedback(self.complaint, "satisfied", page=own_b, token="wrong-token")
        self.assertEqual(self._state(self.complaint), before)
        # the customer, without the CSRF token or with a feedback off the list
        self.authenticate("hsa_cp_portal_a", "hsa_cp_portal_a_pw")
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self._feedback(self.complaint, "satisfied", csrf=False)
        self.assertEqual(response.status_code, 400)
        self._feedback(self.complaint, "delighted")
        self.assertEqual(self._state(self.complaint), before)
        # a ticket that is no complaint
        other = self._create_ticket(
            name="Plain request", partner_id=self.portal_user.partner_id.id
        )
        self._feedback(other, "not_satisfied")
        other.invalidate_recordset()
        self.assertEqual(other.problem_level, "1")
        self.assertFalse(other.complaint_feedback)
