# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's whole service dossier over HTTP: one PDF (the index, then
every filed document as it was filed) and a zip of the files, for archivists
and managers only."""

import io
import zipfile

from odoo.tests import HttpCase, new_test_user, tagged

from .test_archive import pdf_text

MODULE = "helpdesk_service_agreement"


@tagged("post_install", "-at_install")
class TestArchiveDossier(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archivist = new_test_user(
            cls.env,
            login="hsa_dossier_archivist",
            password="hsa_dossier_archivist",
            groups=f"{MODULE}.group_service_archivist",
        )
        cls.agent = new_test_user(
            cls.env,
            login="hsa_dossier_agent",
            password="hsa_dossier_agent",
            groups=f"{MODULE}.group_service_agent",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "HSA Dossier Ltd", "is_company": True, "customer_code": "D-0007"}
        )
        team = cls.env["helpdesk.ticket.team"].create(
            {"name": "HSA Dossier Team", "user_ids": [(6, 0, cls.agent.ids)]}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Dossier printer",
                "description": "<p>Paper jam</p>",
                "partner_id": cls.customer.id,
                "team_id": team.id,
            }
        )
        cls.ticket.stage_id = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        Request = cls.env["helpdesk.service.archive.request"].sudo()
        Request.search([("partner_id", "=", cls.customer.id)])._file()
        Request.search(
            [("partner_id", "=", cls.customer.id), ("state", "=", "pending")]
        )._file()
        cls.archive = cls.env["helpdesk.service.archive"].search(
            [("partner_id", "=", cls.customer.id)]
        )

    def test_dossier_pdf_and_zip_for_the_archivist(self):
        self.assertEqual(len(self.archive.document_ids), 2)
        self.authenticate("hsa_dossier_archivist", "hsa_dossier_archivist")
        response = self.url_open(f"/helpdesk_service/archive/{self.archive.id}/dossier")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        for expected in (
            "Service Dossier",
            "D-0007",
            "Customer Registration Form",
            "Problem Record",
            self.ticket.number,
        ):
            self.assertIn(expected, text)
        # the index comes first, then the registration form, then the record
        self.assertLess(text.index("Service Dossier"), text.index("Paper jam"))
        response = self.url_open(f"/helpdesk_service/archive/{self.archive.id}/zip")
        self.assertEqual(response.status_code, 200)
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        self.assertEqual(len(names), 2)
        self.assertTrue(all(name.endswith(".pdf") for name in names))

    def test_agent_gets_no_dossier(self):
        # the agent reads the archive (a ticket of the team) but not the dossier
        self.assertTrue(
            self.env["helpdesk.service.archive"].with_user(self.agent).search([])
        )
        self.authenticate("hsa_dossier_agent", "hsa_dossier_agent")
        url = f"/helpdesk_service/archive/{self.archive.id}"
        for kind in ("dossier", "zip"):
            response = self.url_open(f"{url}/{kind}")
            self.assertEqual(response.status_code, 403, kind)
        # logged out: sent to the login page
        self.authenticate(None, None)
        response = self.url_open(f"{url}/zip")
        self.assertIn("/web/login", response.url)
        self.assertNotEqual(response.content[:2], b"PK")

    def test_dossier_in_chinese(self):
        """The customer reads Chinese: its documents are filed in Chinese and
        the dossier's index is printed in Chinese, with the shipped terms."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            [MODULE], ["zh_CN"], overwrite=True
        )
        customer = self.env["res.partner"].create(
            {
                "name": "上海星辰科技有限公司",
                "is_company": True,
                "customer_code": "D-0008",
                "lang": "zh_CN",
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "打印机卡纸",
                "description": "<p>纸张卡在进纸器中。</p>",
                "partner_id": customer.id,
            }
        )
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        Request = self.env["helpdesk.service.archive.request"].sudo()
        for _round in range(2):
            Request.search(
                [("partner_id", "=", customer.id), ("state", "=", "pending")]
            )._file()
        archive = self.env["helpdesk.service.archive"].search(
            [("partner_id", "=", customer.id)]
        )
        self.authenticate("hsa_dossier_archivist", "hsa_dossier_archivist")
        response = self.url_open(f"/helpdesk_service/archive/{archive.id}/dossier")
        text = pdf_text(response.content)
        for expected in (
            "服务档案汇编",
            "客户信息登记表",
            "问题处理记录表",
            "纸张卡在进纸器中",
            "D-0008",
        ):
            self.assertIn(expected, text)
