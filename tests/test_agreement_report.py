# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import subprocess
import unicodedata
import unittest

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import ServiceCommon

REPORT = "helpdesk_service_agreement.action_report_agreement"

# zh_CN terms of the printed contract, set here so that the test does not
# depend on the state of i18n/zh_CN.po
ZH_TERMS = {
    "helpdesk_service_agreement.report_agreement_document": {
        "Service Agreement": "客户服务协议",
        "Party A (Customer)": "甲方（客户）",
        "Party B (Provider)": "乙方（服务方）",
    },
    "helpdesk_service_agreement.report_agreement_clauses": {
        "Dispute Resolution": "争议解决",
        "Force Majeure": "不可抗力",
    },
}


# characters that a CJK font can map to Kangxi radicals or other compatibility
# code points (方 extracted as ⽅ U+2F45): a PDF must carry them as written
SHARED_GLYPHS = "方日支一力"
# "Party A must pay on the first day of each month; each party does its best"
ZH_SENTENCE = "甲方应于每月一日支付服务费，双方尽力履约。"


def pdf_to_text(pdf):
    """The text of a PDF as a reader copies or searches it (no normalisation:
    a character extracted as another code point is a defect)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def assert_chinese_as_written(case, text, *expected):
    """Every expected string, and every character of SHARED_GLYPHS, extract
    from the PDF as the characters written, and no compatibility character
    (Kangxi radicals, CJK radicals supplement) stands in for one."""
    for string in expected:
        case.assertIn(string, text)
    for char in SHARED_GLYPHS:
        case.assertIn(char, text)
    radicals = sorted(
        c
        for c in set(text)
        if ("\u2e80" <= c <= "\u2fdf" or "\uf900" <= c <= "\ufaff")
        and unicodedata.normalize("NFKC", c) != c
    )
    case.assertFalse(radicals, f"compatibility characters in the PDF: {radicals}")


@tagged("post_install", "-at_install")
class TestAgreementReport(ServiceCommon, HttpCase):
    """The contract printed for real by wkhtmltopdf; an HttpCase so that
    wkhtmltopdf loads the report's style sheets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        for xmlid, terms in ZH_TERMS.items():
            cls.env.ref(xmlid).update_field_translations("arch_db", {"zh_CN": terms})
        cls.customer.write({"customer_code": "KH-0042", "lang": "en_US"})
        cls.customer_zh = cls.env["res.partner"].create(
            {
                "name": "上海星辰科技有限公司",
                "is_company": True,
                "lang": "zh_CN",
                "city": "上海",
            }
        )
        cls.third_party = cls.env["res.partner"].create(
            {"name": "HSA Audit Partners", "is_company": True}
        )
        cls.agreement = cls._create_agreement(
            cls.customer,
            code="SA-2026-001",
            name="Maintenance of the printers",
            scope="<p>Maintenance of 40 office printers.</p>",
            fee_amount=12800.0,
            payment_terms="Quarterly in advance.",
            confidentiality="<p>Customer data stays confidential.</p>",
            dispute_resolution="arbitration",
            arbitration_body="Shanghai Arbitration Commission",
            third_party_ids=[
                Command.create(
                    {
                        "partner_id": cls.third_party.id,
                        "role": "supervision",
                        "duties": "Audits the service quarterly.",
                        "liability_limit": 5000.0,
                    }
                )
            ],
        )
        cls.supplement = cls._create_agreement(
            cls.customer,
            code="SA-2026-001-S1",
            name="Extra printers",
            scope="<p>Ten more printers on the second floor.</p>",
            parent_agreement_id=cls.agreement.id,
        )
        cls.draft_supplement = cls._create_agreement(
            cls.customer,
            code="SA-2026-001-S2",
            name="Unsigned extension",
            parent_agreement_id=cls.agreement.id,
            activate=False,
        )

    @classmethod
    def _create_agreement(cls, partner, activate=True, **vals):
        values = {
            "partner_id": partner.id,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            # closing tickets is tested without the acceptance gate
            "acceptance_required": False,
            "signature_date": "2025-12-20",
            "user_id": cls.manager.id,
            "service_level_ids": [
                Command.create(
                    {"level": "1", "resolution_hours": 24.0, "owner_type": "agent"}
                ),
                Command.create(
                    {
                        "level": "2",
                        "response_hours": 12.0,
                        "resolution_hours": 48.0,
                        "owner_type": "team_lead",
                    }
                ),
                Command.create(
                    {
                        "level": "3",
                        "response_hours": 2.0,
                        "update_hours": 4.0,
                        "owner_type": "emergency_team",
                        "owner_user_ids": [Command.set(cls.manager.ids)],
                    }
                ),
            ],
        }
        values.update(vals)
        agreement = cls.env["agreement"].create(values)
        if activate:
            agreement.action_activate()
        return agreement

    def _render_pdf(self, agreement, user=None):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            raise unittest.SkipTest("wkhtmltopdf is not available")
        if not shutil.which("pdftotext"):
            raise unittest.SkipTest("pdftotext (poppler-utils) is not available")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if user:
            Report = Report.with_user(user)
        pdf, report_type = Report._render_qweb_pdf(REPORT, agreement.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_to_text(pdf)

    def _render_html(self, agreement, user):
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(REPORT, agreement.ids)
        )
        return html.decode()

    def test_print_button_on_the_agreement(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "agreement")
        self.assertEqual(report.binding_type, "report")
        self.assertEqual(report._get_report_from_name(report.report_name), report)

    def test_pdf_in_english(self):
        text = self._render_pdf(self.agreement)
        for expected in (
            "Service Agreement",
            "Party A (Customer)",
            "Party B (Provider)",
            "HSA Customer Ltd",
            "KH-0042",
            self.env.company.name,
            "SA-2026-001",
            "Maintenance of 40 office printers.",
            "Service Levels",
            "Dedicated plan",
            "HSA Audit Partners",
            "Shanghai Arbitration Commission",
            "Force Majeure",
            "Termination",
            "Party A (seal):",
            "Party B (seal):",
            # the signed supplement is printed as an annex after its parent
            "Annex 1\nSupplementary Agreement",
            "Ten more printers on the second floor.",
        ):
            self.assertIn(expected, text)
        # the manager printing sees the commercial terms
        self.assertIn("12,800.00", text)
        self.assertIn("Quarterly in advance.", text)
        # a supplement not signed yet is no annex of a signed agreement
        self.assertNotIn("Unsigned extension", text)
        self.assertNotIn("Annex 2", text)
        self.assertLess(text.index("1. Service Scope"), text.index("Annex 1"))
        # the annex follows the agreement's dispute resolution: said once
        self.assertEqual(text.count("Dispute Resolution"), 1)

    def test_pdf_in_chinese(self):
        agreement = self._create_agreement(
            self.customer_zh,
            code="SA-2026-088",
            name="打印机维护服务",
            scope=f"<p>四十台办公打印机的维护。{ZH_SENTENCE}</p>",
            dispute_resolution="court",
            court_name="上海市浦东新区人民法院",
        )
        text = self._render_pdf(agreement)
        # the PDF carries the Chinese text with the CJK font (strings whose
        # glyphs the font maps back to their own code points)
        assert_chinese_as_written(
            self,
            text,
            "甲方",
            "乙方（服务方）",
            "上海星辰科技有限公司",
            "打印机维护服务",
            "四十台办公打印机的维护。",
            ZH_SENTENCE,
            "争议解决",
            "不可抗力",
        )
        # in the customer's language, not the printing user's
        self.assertNotIn("Dispute Resolution", text)
        self.assertIn("SA-2026-088", text)
        # the exact terms, on the HTML the PDF is made of
        html = self._render_html(agreement, self.manager)
        for expected in (
            "客户服务协议",
            "甲方（客户）",
            "乙方（服务方）",
            "上海市浦东新区人民法院",
        ):
            self.assertIn(expected, html)
        self.assertNotIn("Service Agreement", html)

    def test_agent_prints_without_the_restricted_terms(self):
        html = self._render_html(self.agreement, self.agent)
        self.assertIn("Maintenance of 40 office printers.", html)
        self.assertNotIn("Quarterly in advance.", html)
        self.assertNotIn("Customer data stays confidential.", html)
        self.assertNotIn("5,000.00", html)
        self.assertIn("printed for customer service managers only", html)
        html = self._render_html(self.agreement, self.manager)
        self.assertIn("Quarterly in advance.", html)
        self.assertIn("Customer data stays confidential.", html)
        self.assertIn("5,000.00", html)
