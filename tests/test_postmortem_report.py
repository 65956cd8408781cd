# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import unittest

from odoo.tests import HttpCase, tagged

from .sla_common import SlaCommon
from .test_agreement_report import ZH_SENTENCE, assert_chinese_as_written, pdf_to_text

REPORT = "helpdesk_service_agreement.action_report_helpdesk_ticket_postmortem"


@tagged("post_install", "-at_install")
class TestPostmortemReport(SlaCommon, HttpCase):
    """The postmortem (复盘报告) of a level 3 problem, printed for real."""

    def _render_pdf(self, postmortem):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            raise unittest.SkipTest("wkhtmltopdf is not available")
        if not shutil.which("pdftotext"):
            raise unittest.SkipTest("pdftotext (poppler-utils) is not available")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, postmortem.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_to_text(pdf)

    def test_postmortem_pdf_in_chinese(self):
        ticket = self._new_ticket(problem_level="3", name="订单系统停止服务")
        postmortem = self.env["helpdesk.ticket.postmortem"].create(
            {
                "ticket_id": ticket.id,
                "impact": "<p>全部门店无法下单。</p>",
                "root_cause": f"<p>订单网关证书过期。{ZH_SENTENCE}</p>",
                "corrective_actions": "<p>证书已更新。</p>",
                "preventive_actions": "<p>提前三十日监控证书有效期。</p>",
            }
        )
        text = self._render_pdf(postmortem)
        assert_chinese_as_written(
            self,
            text,
            "订单系统停止服务",
            "全部门店无法下单。",
            ZH_SENTENCE,
            "提前三十日监控证书有效期。",
        )

    def test_postmortem_pdf(self):
        ticket = self._new_ticket(problem_level="3", name="Order system down")
        postmortem = self.env["helpdesk.ticket.postmortem"].create(
            {
                "ticket_id": ticket.id,
                "impact": "<p>All branches stopped taking orders.</p>",
                "root_cause": "<p>An expired certificate on the order gateway.</p>",
                "corrective_actions": "<p>Certificate renewed.</p>",
                "preventive_actions": "<p>Expiry monitored 30 days ahead.</p>",
            }
        )
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "helpdesk.ticket.postmortem")
        text = self._render_pdf(postmortem)
        for expected in (
            ticket.number,
            "Order system down",
            "Root Cause",
            "expired certificate",
            "Preventive Actions",
            "monitored 30 days ahead",
        ):
            self.assertIn(expected, text)
