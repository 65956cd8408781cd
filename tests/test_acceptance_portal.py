# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, new_test_user, tagged

from .acceptance_common import ACCEPTANCE, AcceptanceCommon, signature_png
from .test_ui import FORM_READY

# the token of a form, or the one every page gives its scripts
CSRF = re.compile(r'(?:name="csrf_token" value=|csrf_token: )"([^"]+)"')


@tagged("post_install", "-at_install")
class TestAcceptancePortal(AcceptanceCommon, HttpCase):
    """The customer answers on the portal: signs to accept (jsonrpc, as a
    quotation) or asks for rectification (POST with the CSRF token), by
    login or by the link's token; anything else is refused and changes
    nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_acc_portal_a",
            password="hsa_acc_portal_a_pw",
            groups="base.group_portal",
            name="Li Portal",
            email="li.portal@example.com",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "HSA Customer B", "is_company": True}
        )
        cls.contact_b = cls.env["res.partner"].create(
            {
                "name": "B Contact",
                "parent_id": cls.customer_b.id,
                "email": "b.contact@example.com",
            }
        )
        cls.portal_user_b = new_test_user(
            cls.env,
            login="hsa_acc_portal_b",
            password="hsa_acc_portal_b_pw",
            groups="base.group_portal",
        )
        cls.portal_user_b.partner_id.parent_id = cls.customer_b
        cls.staff = new_test_user(
            cls.env,
            login="hsa_acc_staff",
            password="hsa_acc_staff_pw",
            groups="helpdesk_service_agreement.group_service_agent",
        )
        cls.acceptance = cls._sent(cls.ticket | cls.ticket_2)
        cls.acceptance.internal_note = "<p>Secret margin note</p>"
        cls.acceptance_b = cls._sent(
            cls._create_ticket(name="Bravo router", partner_id=cls.contact_b.id)
        )
        cls.draft = cls._request(cls._create_ticket(name="Unsent work"))

    def _accept_url(self, acceptance, token=None):
        url = f"/my/acceptances/{acceptance.id}/accept"
        return f"{url}?access_token={token}" if token else url

    def _sign(self, acceptance, token=None, name="Wang Wei", signature=None):
        return self.make_jsonrpc_request(
            self._accept_url(acceptance, token),
            {
                "name": name,
                "signature": signature_png() if signature is None else signature,
            },
        )

    def _assert_untouched(self, acceptance, messages):
        acceptance.invalidate_recordset()
        self.assertEqual(acceptance.state, "sent")
        self.assertFalse(acceptance.signed_by)
        self.assertFalse(acceptance.signature)
        self.assertFalse(acceptance.signer_partner_id)
        self.assertFalse(any(acceptance.line_ids.mapped("result")))
        self.assertFalse(acceptance.next_id)
        self.assertEqual(len(acceptance.message_ids), messages)

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return CSRF.search(response.text).group(1)

    def _rectify(self, acceptance, data, token=None, csrf=True):
        page = acceptance.get_portal_url()
        url = f"/my/acceptances/{acceptance.id}/rectify"
        if token:
            url = f"{url}?access_token={token}"
        if csrf:
            data = dict(data, csrf_token=self._csrf(page))
        return self.url_open(url, data=data, allow_redirects=False)

    # ------------------------------------------------------------------
    # Seeing the forms
    # ------------------------------------------------------------------

    def test_home_counter_and_list(self):
        self.authenticate("hsa_acc_portal_a", "hsa_acc_portal_a_pw")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["acceptance_count"]}
        )
        self.assertEqual(counters["acceptance_count"], 1)
        response = self.url_open("/my/acceptances")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.acceptance.name, response.text)
        self.assertNotIn(self.acceptance_b.name, response.text)
        self.assertNotIn(self.draft.name, response.text)
        response = self.url_open(f"/my/acceptances/{self.acceptance.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Printer down", response.text)

    def test_page_by_the_link_shows_the_deliverables_only(self):
        response = self.url_open(self.acceptance.get_portal_url())
        self.assertEqual(response.status_code, 200)
        for expected in (
            self.acceptance.name,
            "Printer down",
            "Scanner jammed",
            "Prints 20 pages a minute.",
            'id="modalaccept"',
            "acceptance_rectify_form",
        ):
            self.assertIn(expected, response.text)
        self.assertNotIn("Secret margin note", response.text)
        response = self.url_open(
            self.acceptance.get_portal_url(report_type="pdf", download=True)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertNotIn("Secret margin note", response.text)

    def test_draft_is_never_shown(self):
        token = self.draft.sudo()._portal_ensure_token()
        for url in (
            f"/my/acceptances/{self.draft.id}?access_token={token}",
            f"/my/acceptances/{self.draft.id}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertIn("error", self._sign(self.draft, token))
        self.assertEqual(self.draft.state, "draft")

    def test_staff_are_sent_to_the_backend(self):
        self.authenticate("hsa_acc_staff", "hsa_acc_staff_pw")
        response = self.url_open(
            self.acceptance.get_portal_url(), allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/odoo/{ACCEPTANCE}/{self.acceptance.id}"
            )
        )
        messages = len(self.acceptance.message_ids)
        self.assertIn(
            "error", self._sign(self.acceptance, self.acceptance.access_token)
        )
        self._assert_untouched(self.acceptance, messages)

    def test_customer_closes_no_ticket_awaiting_acceptance(self):
        stage = self.env["helpdesk.ticket.stage"].create(
            {
                "name": "HSA Solved by customer",
                "closed": True,
                "close_from_portal": True,
            }
        )
        self.authenticate("hsa_acc_portal_a", "hsa_acc_portal_a_pw")
        response = self.url_open(
            "/ticket/close",
            data={
                "ticket_id": self.ticket.id,
                "stage_id": stage.id,
                "csrf_token": self._csrf("/my"),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("requires acceptance", response.text)
        self.assertFalse(self.ticket.stage_id.closed)

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------

    def test_sign_with_the_link(self):
        result = self._sign(self.acceptance, self.acceptance.access_token)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertIn("message=sign_ok", result["redirect_url"])
        acceptance = self.acceptance
        acceptance.invalidate_recordset()
        self.assertEqual(acceptance.state, "accepted")
        self.assertEqual(acceptance.signed_by, "Wang Wei")
        self.assertTrue(acceptance.signed_on)
        self.assertTrue(acceptance.signature)
        self.assertTrue(acceptance.answer_date)
        self.assertEqual(acceptance.signer_partner_id, self.contact)
        self.assertEqual(set(acceptance.line_ids.mapped("result")), {"pass"})
        # the signed copy in the chatter, posted as the customer
        message = acceptance.message_ids.filtered("attachment_ids")[:1]
        self.assertEqual(message.attachment_ids.name, f"{acceptance.name}.pdf")
        self.assertEqual(message.author_id, self.contact)
        self.assertIn("Wang Wei", message.body)
        # the tickets may close now
        (self.ticket | self.ticket_2).with_user(self.agent).stage_id = self.stage_done
        response = self.url_open(result["redirect_url"])
        self.assertIn("the acceptance form is signed", response.text)
        self.assertIn("data:image/png;base64", response.text)

    def test_sign_logged_in(self):
        self.authenticate("hsa_acc_portal_a", "hsa_acc_portal_a_pw")
        result = self._sign(self.acceptance, name="Li Portal")
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.acceptance.state, "accepted")
        self.assertEqual(self.acceptance.signer_partner_id, self.portal_user.partner_id)

    def test_signatures_refused(self):
        acceptance = self.acceptance
        messages = len(acceptance.message_ids)
        token_b = self.acceptance_b.access_token
        # another customer's token, a wrong token, no token
        for token in (token_b, "not-the-token", None):
            with self.subTest(token=token):
                self.assertIn("error", self._sign(acceptance, token))
        # another customer's contact, logged in
        self.authenticate("hsa_acc_portal_b", "hsa_acc_portal_b_pw")
        self.assertIn("error", self._sign(acceptance))
        self.assertIn("error", self._sign(acceptance, token_b))
        self.logout()
        # incomplete or forged signatures
        token = acceptance.access_token
        for name, signature in (
            ("", None),
            ("   ", None),
            ("Wang Wei", ""),
            ("Wang Wei", "bm90IGFuIGltYWdl"),
            ("Wang Wei", "%%%"),
        ):
            with self.subTest(name=name, signature=signature):
                result = self._sign(acceptance, token, name=name, signature=signature)
                self.assertIn("error", result)
        self._assert_untouched(acceptance, messages)
        # signed, then signed again
        self.assertTrue(self._sign(acceptance, token).get("force_refresh"))
        signed_on = acceptance.signed_on
        result = self._sign(acceptance, token, name="Someone Else")
        self.assertIn("error", result)
        acceptance.invalidate_recordset()
        self.assertEqual(acceptance.signed_by, "Wang Wei")
        self.assertEqual(acceptance.signed_on, signed_on)
        self.assertEqual(self.acceptance_b.state, "sent")

    # ------------------------------------------------------------------
    # Rectification
    # ------------------------------------------------------------------

    def _answers(self, first_result="fail", reason="Prints 12 pages a minute only"):
        first, second = self.acceptance.line_ids
        return {
            f"result_{first.id}": first_result,
            f"reason_{first.id}": reason,
            f"remark_{first.id}": "Tested on floor 2",
            f"result_{second.id}": "pass",
        }

    def test_rectification_by_the_link(self):
        token = self.acceptance.access_token
        response = self._rectify(self.acceptance, self._answers(), token=token)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("message=rectify_ok", response.headers["Location"])
        acceptance = self.acceptance
        acceptance.invalidate_recordset()
        self.assertEqual(acceptance.state, "rectify")
        first, second = acceptance.line_ids
        self.assertEqual(first.result, "fail")
        self.assertEqual(first.rectification_reason, "Prints 12 pages a minute only")
        self.assertEqual(first.customer_remark, "Tested on floor 2")
        self.assertEqual(second.result, "pass")
        self.assertEqual(acceptance.signer_partner_id, self.contact)
        successor = acceptance.next_id
        self.assertEqual(successor.round, 2)
        # the whole list again: the failed deliverable to rework, the passed
        # one passed in round 1
        rework = successor.line_ids.filtered(lambda line: not line.result)
        self.assertEqual(rework.deliverable, "Printer down")
        self.assertEqual(
            (successor.line_ids - rework).mapped("passed_round"), [1], "kept passed"
        )
        self.assertEqual(self.ticket.stage_id, self.stage_progress)
        self.assertTrue(successor.activity_ids)
        # the next round is not shown before it is sent
        self.authenticate("hsa_acc_portal_a", "hsa_acc_portal_a_pw")
        response = self.url_open("/my/acceptances")
        self.assertNotIn(successor.name, response.text)
        # answered: no second answer
        response = self._rectify(self.acceptance, self._answers(), token=token)
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not waiting for an answer", response.text)
        self.assertIn("error", self._sign(self.acceptance, token))
        self.assertEqual(self.acceptance.state, "rectify")

    def test_rectification_refused(self):
        acceptance = self.acceptance
        messages = len(acceptance.message_ids)
        token = acceptance.access_token
        # without the CSRF token
        response = self._rectify(acceptance, self._answers(), token=token, csrf=False)
        self.assertEqual(response.status_code, 400)
        # without login and without the link's token, or with a wrong one
        for wrong in (None, "not-the-token", self.acceptance_b.access_token):
            with self.subTest(token=wrong):
                response = self._rectify(acceptance, self._answers(), token=wrong)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))
        # without a reason for the failed deliverable, nothing failed, a
        # result outside the list
        for answers, error in (
            (self._answers(reason="  "), "Give the reason why Printer down"),
            (self._answers(first_result="pass"), "No deliverable failed"),
            (self._answers(first_result="maybe"), "as passed or failed"),
        ):
            with self.subTest(error=error):
                response = self._rectify(acceptance, answers, token=token)
                self.assertEqual(response.status_code, 400)
                self.assertIn(error, response.text)
        self._assert_untouched(acceptance, messages)

    def test_rectification_logged_in(self):
        # another customer's contact asks nothing of this form
        self.authenticate("hsa_acc_portal_b", "hsa_acc_portal_b_pw")
        messages = len(self.acceptance.message_ids)
        response = self.url_open(
            f"/my/acceptances/{self.acceptance.id}/rectify",
            data=dict(self._answers(), csrf_token=self._csrf("/my/acceptances")),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self._assert_untouched(self.acceptance, messages)
        # the customer's own contact does
        self.authenticate("hsa_acc_portal_a", "hsa_acc_portal_a_pw")
        response = self._rectify(self.acceptance, self._answers())
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self.acceptance.state, "rectify")
        self.assertEqual(self.acceptance.signer_partner_id, self.portal_user.partner_id)
        rework = self.acceptance.next_id.line_ids.filtered(lambda line: not line.result)
        self.assertEqual(rework.ticket_id, self.ticket)


@tagged("post_install", "-at_install")
class TestAcceptanceBrowser(AcceptanceCommon, HttpCase):
    """The customer signs in Chromium with Odoo's signature pad; the staff's
    form opens for the roles that use it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acceptance = cls._sent(cls.ticket)
        for user in (cls.agent, cls.archivist):
            user.password = f"{user.login}-pw"

    def test_customer_signs_with_the_signature_pad(self):
        self.start_tour(self.acceptance.get_portal_url(), "hsa_acceptance_sign")
        self.assertEqual(self.acceptance.state, "accepted")
        self.assertEqual(self.acceptance.signed_by, "HSA Contact")
        self.assertTrue(self.acceptance.signature)
        self.assertEqual(self.acceptance.signer_partner_id, self.contact)

    def test_backend_form_for_agent_and_archivist(self):
        path = (
            "/odoo/action-helpdesk_service_agreement.helpdesk_service_acceptance_action/"
            f"{self.acceptance.id}"
        )
        for user in (self.agent, self.archivist):
            self.authenticate(user.login, f"{user.login}-pw")
            self.browser_js(path, FORM_READY, ready="odoo.isReady", login=user.login)
