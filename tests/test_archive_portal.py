# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's filed documents on the portal: its own agreements and
acceptance forms as they were filed, never an internal problem record, never
another customer's."""

from odoo.tests import HttpCase, new_test_user, tagged

from .test_archive import pdf_text

MODULE = "helpdesk_service_agreement"


@tagged("post_install", "-at_install")
class TestArchivePortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "HSA Portal Archive Co", "is_company": True}
        )
        cls.other = Partner.create({"name": "HSA Other Archive Co", "is_company": True})
        cls.portal = new_test_user(
            cls.env,
            login="hsa_archive_portal",
            password="hsa_archive_portal",
            groups="base.group_portal",
            partner_id=Partner.create(
                {"name": "HSA Portal Contact", "parent_id": cls.customer.id}
            ).id,
        )
        cls.portal_other = new_test_user(
            cls.env,
            login="hsa_archive_portal_other",
            password="hsa_archive_portal_other",
            groups="base.group_portal",
            partner_id=Partner.create(
                {"name": "HSA Other Contact", "parent_id": cls.other.id}
            ).id,
        )
        template = cls.env.ref(f"{MODULE}.agreement_template_default")
        cls.agreement = cls.env["agreement"].create(
            {
                "name": "HSA Portal Archive Agreement",
                "code": "HSA-PA-1",
                "partner_id": cls.customer.id,
                "template_id": template.id,
                "signature_date": "2025-12-15",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
                "acceptance_required": False,
            }
        )
        cls.agreement.service_level_ids.filtered(
            lambda level: level.owner_type == "emergency_team"
        ).owner_user_ids = cls.env.ref("base.user_admin")
        cls.agreement.action_activate()
        cls.agreement._terminate(cls.agreement.start_date, "Moved away")
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Internal problem",
                "description": "x",
                "partner_id": cls.customer.id,
            }
        )
        ticket.stage_id = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        Request = cls.env["helpdesk.service.archive.request"].sudo()
        for _round in range(2):
            Request.search([("state", "=", "pending")])._file()
        Document = cls.env["helpdesk.service.archive.document"].sudo()
        # filed as it came into force, then as it ended: the first copy
        cls.filed_agreement = Document.search(
            [("res_model", "=", "agreement"), ("res_id", "=", cls.agreement.id)],
            order="id",
            limit=1,
        )
        cls.problem_record = Document.search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def test_customer_reads_its_filed_agreement_only(self):
        self.assertTrue(self.filed_agreement and self.problem_record)
        self.authenticate("hsa_archive_portal", "hsa_archive_portal")
        page = self.url_open("/my/service_archive").text
        self.assertIn("HSA-PA-1", page)
        self.assertNotIn("Internal problem", page)
        response = self.url_open(
            f"/my/service_archive/{self.filed_agreement.id}/download"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("HSA-PA-1", pdf_text(response.content))
        response = self.url_open(
            f"/my/service_archive/{self.problem_record.id}/download"
        )
        self.assertEqual(response.status_code, 404)

    def test_other_customer_sees_nothing(self):
        self.authenticate("hsa_archive_portal_other", "hsa_archive_portal_other")
        page = self.url_open("/my/service_archive").text
        self.assertNotIn("HSA-PA-1", page)
        response = self.url_open(
            f"/my/service_archive/{self.filed_agreement.id}/download"
        )
        self.assertEqual(response.status_code, 404)
        # nor over RPC
        Document = self.env["helpdesk.service.archive.document"].with_user(
            self.portal_other
        )
        self.assertFalse(Document.search([]))
