# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import subprocess
import tempfile
import unittest

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .acceptance_common import ACCEPTANCE, AcceptanceCommon, signature_png
from .test_agreement_report import ZH_SENTENCE, assert_chinese_as_written, pdf_to_text

REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_acceptance"
DOCUMENT = "helpdesk_service_agreement.report_helpdesk_service_acceptance_document"

# zh_CN terms of the printed form, set here so that the test does not depend
# on the state of i18n/zh_CN.po
ZH_TERMS = {
    "Service Acceptance Form": "服务验收单",
    "Deliverables List": "服务成果清单",
    "Party A (Customer)": "甲方（客户）",
    "Party B (Provider)": "乙方（服务方）",
    "Previous Rounds": "以往轮次",
}


def pdf_image_count(pdf):
    """The images a PDF holds, as pdfimages lists them."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        result = subprocess.run(
            ["pdfimages", "-list", file.name],
            capture_output=True,
            check=True,
            timeout=60,
            text=True,
        )
    # two header lines, then one line per image
    return len(result.stdout.splitlines()[2:])


@tagged("post_install", "-at_install")
class TestAcceptanceReport(AcceptanceCommon, HttpCase):
    """The acceptance form printed for real by wkhtmltopdf and read back, in
    the customer's language; an HttpCase so that wkhtmltopdf loads the
    report's style sheets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.ref(DOCUMENT).update_field_translations("arch_db", {"zh_CN": ZH_TERMS})
        cls.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", ACCEPTANCE),
                ("field_id.name", "=", "state"),
                ("value", "=", "accepted"),
            ]
        ).update_field_translations("name", {"zh_CN": "合格"})
        cls.customer.write({"customer_code": "KH-0042", "lang": "en_US"})

    def _render_pdf(self, acceptance):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            raise unittest.SkipTest("wkhtmltopdf is not available")
        if not (shutil.which("pdftotext") and shutil.which("pdfimages")):
            raise unittest.SkipTest("poppler-utils is not available")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = Report._render_qweb_pdf(REPORT, acceptance.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def _render_html(self, acceptance, user=None):
        Report = self.env["ir.actions.report"].with_user(user or self.agent)
        return Report._render_qweb_html(REPORT, acceptance.ids)[0].decode()

    def _second_round_signed(self):
        first = self._sent(self.ticket | self.ticket_2)
        failed, passed = first.line_ids
        first.sudo()._portal_request_rectification(
            {
                failed.id: {"result": "fail", "reason": "Only 12 pages a minute"},
                passed.id: {"result": "pass", "remark": "Fine on floor 2"},
            },
            self.contact,
        )
        second = first.next_id
        second.with_user(self.agent).action_send()
        second.sudo()._portal_accept("Wang Wei", signature_png(), self.contact)
        return first, second

    def test_print_button_on_the_form(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, ACCEPTANCE)
        self.assertEqual(report.binding_type, "report")

    def test_pdf_in_english_with_signature_and_rounds(self):
        first, second = self._second_round_signed()
        pdf = self._render_pdf(second)
        # words as read, whatever the line breaks of the build's layout
        text = " ".join(pdf_to_text(pdf).split())
        for expected in (
            "Service Acceptance Form",
            second.name,
            "Round: 2",
            "Party A (Customer)",
            "HSA Customer Ltd",
            "KH-0042",
            "Party B (Provider)",
            self.env.company.name,
            "Printer down",
            "Prints 20 pages a minute.",
            "Reworked after: Only 12 pages a minute",
            "Passed",
            "Signed by: Wang Wei",
            "Previous Rounds",
            first.name,
            "Needs Rectification",
        ):
            self.assertIn(expected, text)
        # the signature is an image of the printed form
        html = self._render_html(second)
        self.assertRegex(
            html,
            r'<img class="o_acceptance_signature"[^>]* src="data:image/png;base64,',
        )
        self.assertGreater(
            pdf_image_count(pdf), pdf_image_count(self._render_pdf(first))
        )
        # the first round prints what the customer asked
        text = " ".join(pdf_to_text(self._render_pdf(first)).split())
        for expected in (
            "Round: 1",
            "Rectification: Only 12 pages a minute",
            "Fine on floor 2",
            "Rectification requested by: HSA Contact",
            second.name,
        ):
            self.assertIn(expected, text)
        self.assertNotIn("Signed by:", text)

    def test_pdf_in_chinese(self):
        customer = self.env["res.partner"].create(
            {"name": "上海星辰科技有限公司", "is_company": True, "lang": "zh_CN"}
        )
        contact = self.env["res.partner"].create(
            {"name": "王小明", "parent_id": customer.id, "email": "wang@example.com"}
        )
        ticket = self._create_ticket(name="打印机故障", partner_id=contact.id)
        acceptance = self.env[ACCEPTANCE].create(
            {
                "ticket_ids": [Command.set(ticket.ids)],
                "line_ids": [
                    Command.create(
                        {
                            "deliverable": "更换打印机定影器",
                            "acceptance_standard": ZH_SENTENCE,
                        }
                    )
                ],
            }
        )
        acceptance.action_send()
        acceptance.sudo()._portal_accept("王小明", signature_png(), contact)
        text = pdf_to_text(self._render_pdf(acceptance))
        assert_chinese_as_written(
            self,
            text,
            "服务验收单",
            "服务成果清单",
            "甲方（客户）",
            "乙方（服务方）",
            "上海星辰科技有限公司",
            "更换打印机定影器",
            ZH_SENTENCE,
            "王小明",
            "合格",
        )
        # in the customer's language, not the printing user's
        self.assertNotIn("Service Acceptance Form", text)
        self.assertIn(acceptance.name, text)
