# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import shutil
import unittest

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .acceptance_common import signature_png
from .plan_common import PlanCommon
from .test_agreement_report import ZH_SENTENCE, assert_chinese_as_written, pdf_to_text

# the token of a form, or the one every page gives its scripts
CSRF = re.compile(r'(?:name="csrf_token" value=|csrf_token: )"([^"]+)"')
CONFIRMATION_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_plan_confirmation"
)
PLAN_REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_plan"


@tagged("post_install", "-at_install")
class TestServicePlanPortal(PlanCommon, HttpCase):
    """The customer confirms a service plan on the portal with a signature
    (jsonrpc) or asks for changes (POST with the CSRF token), by login or by
    the link's token; anything else is refused and changes nothing. The
    page never shows the fees nor internal remarks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_plan_portal_a",
            password="hsa_plan_portal_a_pw",
            groups="base.group_portal",
            name="Li Portal",
            email="li.plan@example.com",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "HSA Plan Customer B", "is_company": True}
        )
        cls.contact_b = cls.env["res.partner"].create(
            {"name": "B Contact", "parent_id": cls.customer_b.id, "email": "b@e.com"}
        )
        cls.portal_user_b = new_test_user(
            cls.env,
            login="hsa_plan_portal_b",
            password="hsa_plan_portal_b_pw",
            groups="base.group_portal",
        )
        cls.portal_user_b.partner_id.parent_id = cls.customer_b
        cls.plan = cls._sent_plan(cls.ticket)
        cls.plan.sudo().write(
            {
                "review_remark": "Secret reviewer remark",
                "internal_note": "<p>Secret margin note</p>",
            }
        )
        cls.plan_b = cls._sent_plan(
            cls._create_ticket(name="Bravo router", partner_id=cls.contact_b.id),
            title="Bravo network",
        )
        cls.approved = cls._approved(cls.ticket_2, title="Not sent yet")

    def _sign(self, plan, token=None, name="Wang Wei", signature=None):
        url = f"/my/service_plans/{plan.id}/confirm"
        if token:
            url = f"{url}?access_token={token}"
        return self.make_jsonrpc_request(
            url,
            {
                "name": name,
                "signature": signature_png() if signature is None else signature,
            },
        )

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return CSRF.search(response.text).group(1)

    def _changes(self, plan, comments, token=None, csrf=True):
        url = f"/my/service_plans/{plan.id}/changes"
        if token:
            url = f"{url}?access_token={token}"
        data = {"comments": comments}
        if csrf:
            data["csrf_token"] = self._csrf(self.plan.get_portal_url())
        return self.url_open(url, data=data, allow_redirects=False)

    def _assert_untouched(self, plan, state="sent"):
        plan.invalidate_recordset()
        self.assertEqual(plan.state, state)
        self.assertFalse(plan.signed_by)
        self.assertFalse(plan.signature)
        self.assertFalse(plan.signer_partner_id)
        self.assertFalse(plan.change_request)

    def test_list_and_page_without_fees_or_remarks(self):
        self.authenticate("hsa_plan_portal_a", "hsa_plan_portal_a_pw")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["service_plan_count"]}
        )
        self.assertEqual(counters["service_plan_count"], 1)
        response = self.url_open("/my/service_plans")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.plan.name, response.text)
        self.assertNotIn("Bravo network", response.text)
        self.assertNotIn("Not sent yet", response.text)
        response = self.url_open(f"/my/service_plans/{self.plan.id}")
        self.assertEqual(response.status_code, 200)
        for expected in (
            "Every floor prints again.",
            "Fuser replaced",
            "Prints 20 pages a minute.",
            "Parts ordered",
            "Give access to the printer rooms.",
        ):
            self.assertIn(expected, response.text)
        for secret in (
            "98765",
            "98,765",
            "Net 30 days",
            "Secret reviewer remark",
            "Secret margin note",
        ):
            self.assertNotIn(secret, response.text)
        # the printed plan the customer gets holds no fee either
        response = self.url_open(f"/my/service_plans/{self.plan.id}?report_type=html")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Fuser replaced", response.text)
        self.assertNotIn("Net 30 days", response.text)
        self.assertNotIn("Service Fee", response.text)
        # other customers' plans and plans not sent are not shown
        for plan in (self.plan_b, self.approved):
            with self.subTest(plan=plan.title):
                response = self.url_open(
                    f"/my/service_plans/{plan.id}", allow_redirects=False
                )
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_manager_prints_the_fees(self):
        Report = self.env["ir.actions.report"]
        html = (
            Report.with_user(self.manager)
            ._render_qweb_html(PLAN_REPORT, self.plan.ids)[0]
            .decode()
        )
        self.assertIn("Net 30 days", html)
        html = (
            Report.with_user(self.agent)
            ._render_qweb_html(PLAN_REPORT, self.plan.ids)[0]
            .decode()
        )
        self.assertNotIn("Net 30 days", html)
        self.assertIn("Fuser replaced", html)

    def test_confirm_with_the_link(self):
        result = self._sign(self.plan, self.plan.access_token)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertIn("message=confirm_ok", result["redirect_url"])
        plan = self.plan
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(plan.signed_by, "Wang Wei")
        self.assertTrue(plan.signed_on)
        self.assertTrue(plan.signature)
        self.assertTrue(plan.confirm_date)
        self.assertEqual(plan.signer_partner_id, self.contact)
        response = self.url_open(result["redirect_url"])
        self.assertIn("the service plan is confirmed", response.text)
        self.assertIn("data:image/png;base64", response.text)
        # a second confirmation is refused, nothing changes
        signed_on = plan.signed_on
        result = self._sign(plan, plan.access_token, name="Someone Else")
        self.assertIn("error", result)
        plan.invalidate_recordset()
        self.assertEqual(plan.signed_by, "Wang Wei")
        self.assertEqual(plan.signed_on, signed_on)
        response = self._changes(plan, "Late change", token=plan.access_token)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(plan.state, "confirmed")

    def test_confirm_logged_in(self):
        self.authenticate("hsa_plan_portal_a", "hsa_plan_portal_a_pw")
        result = self._sign(self.plan)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.plan.state, "confirmed")
        self.assertEqual(self.plan.signer_partner_id, self.portal_user.partner_id)

    def test_confirmations_refused(self):
        # another customer's token, a wrong token, no token
        for token in (self.plan_b.access_token, "not-the-token", None):
            with self.subTest(token=token):
                self.assertIn("error", self._sign(self.plan, token))
        # another customer's contact, logged in
        self.authenticate("hsa_plan_portal_b", "hsa_plan_portal_b_pw")
        self.assertIn("error", self._sign(self.plan))
        self.assertIn("error", self._sign(self.plan, self.plan_b.access_token))
        self.authenticate(None, None)
        # no name, no signature, not an image
        for name, signature in (
            ("", None),
            ("Wang Wei", ""),
            ("Wang Wei", "bm90IGFuIGltYWdl"),
        ):
            with self.subTest(
                name=name, signature=signature[:5] if signature else signature
            ):
                result = self._sign(
                    self.plan, self.plan.access_token, name=name, signature=signature
                )
                self.assertIn("error", result)
        self._assert_untouched(self.plan)
        # a plan not sent, even with its token
        token = self.approved.sudo()._portal_ensure_token()
        self.assertIn("error", self._sign(self.approved, token))
        self._assert_untouched(self.approved, state="approved")
        self._assert_untouched(self.plan_b)

    def test_request_changes(self):
        token = self.plan.access_token
        # without the CSRF token, without comments
        response = self._changes(self.plan, "Start in April", token=token, csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self._changes(self.plan, "   ", token=token)
        self.assertEqual(response.status_code, 400)
        self.assertIn("comments are required", response.text)
        # wrong token, another customer's token, a plan not sent
        for wrong in (None, "not-the-token", self.plan_b.access_token):
            with self.subTest(token=wrong):
                response = self._changes(self.plan, "Start in April", token=wrong)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))
        self._assert_untouched(self.plan)
        token_approved = self.approved.sudo()._portal_ensure_token()
        response = self._changes(self.approved, "Now", token=token_approved)
        self.assertEqual(response.status_code, 303)
        self._assert_untouched(self.approved, state="approved")
        # the customer's comments
        response = self._changes(self.plan, "Start in April", token=token)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("message=changes_ok", response.headers["Location"])
        self.assertEqual(self.plan.state, "changes_requested")
        self.assertEqual(self.plan.change_request, "Start in April")
        self.assertEqual(self.plan.signer_partner_id, self.contact)
        posted = self.plan.message_ids.filtered(
            lambda message: "Start in April" in (message.body or "")
        )
        self.assertEqual(posted.author_id, self.contact)
        self.assertIn("error", self._sign(self.plan, token))
        self.assertEqual(self.plan.state, "changes_requested")

    def test_confirmation_pdf(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            raise unittest.SkipTest("wkhtmltopdf is not available")
        if not shutil.which("pdftotext"):
            raise unittest.SkipTest("poppler-utils is not available")
        self.customer.write({"customer_code": "KH-0042", "lang": "en_US"})
        self._sign(self.plan, self.plan.access_token)
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = Report._render_qweb_pdf(CONFIRMATION_REPORT, self.plan.ids)
        self.assertEqual(report_type, "pdf")
        text = pdf_to_text(pdf)
        for expected in (
            "Service Plan Confirmation",
            self.plan.name,
            "Revision: 1",
            "Party A (Customer)",
            "HSA Customer Ltd",
            "KH-0042",
            "Party B (Provider)",
            self.env.company.name,
            "Fuser replaced",
            "Prints 20 pages a minute.",
            "Signed by: Wang Wei",
            "Approved by: ",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("98,765", text)
        # the customer downloads the same confirmation from the portal
        response = self.url_open(
            f"/my/service_plans/{self.plan.id}?access_token={self.plan.access_token}"
            "&report_type=pdf&document=confirmation"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")

    def test_confirmation_pdf_in_chinese(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            raise unittest.SkipTest("wkhtmltopdf is not available")
        if not shutil.which("pdftotext"):
            raise unittest.SkipTest("poppler-utils is not available")
        # zh_CN terms set here: the test does not depend on i18n/zh_CN.po
        self.env["res.lang"]._activate_lang("zh_CN")
        module = "helpdesk_service_agreement"
        for xmlid, terms in (
            (
                "report_helpdesk_service_plan_confirmation_document",
                {"Service Plan Confirmation": "服务方案确认书"},
            ),
            (
                "report_helpdesk_service_plan_header",
                {"Party A (Customer)": "甲方（客户）"},
            ),
            ("report_helpdesk_service_plan_deliverables", {"Deliverables": "服务成果"}),
        ):
            self.env.ref(f"{module}.{xmlid}").update_field_translations(
                "arch_db", {"zh_CN": terms}
            )
        customer = self.env["res.partner"].create(
            {"name": "上海星辰科技有限公司", "is_company": True, "lang": "zh_CN"}
        )
        contact = self.env["res.partner"].create(
            {"name": "王小明", "parent_id": customer.id, "email": "wang@example.com"}
        )
        ticket = self._create_ticket(name="打印机故障", partner_id=contact.id)
        plan = self._sent_plan(
            ticket,
            title="打印机更换",
            deliverable_ids=[
                Command.create(
                    {"name": "更换打印机定影器", "acceptance_standard": ZH_SENTENCE}
                )
            ],
        )
        plan.sudo()._portal_confirm("王小明", signature_png(), contact)
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        text = pdf_to_text(Report._render_qweb_pdf(CONFIRMATION_REPORT, plan.ids)[0])
        assert_chinese_as_written(
            self,
            text,
            "服务方案确认书",
            "甲方（客户）",
            "服务成果",
            "上海星辰科技有限公司",
            "更换打印机定影器",
            ZH_SENTENCE,
            "王小明",
        )
        # in the customer's language, not the printing user's
        self.assertNotIn("Service Plan Confirmation", text)
        self.assertIn(plan.name, text)
