# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

MODULE = "helpdesk_service_agreement"
REQUEST = "helpdesk.service.archive.request"
DOCUMENT = "helpdesk.service.archive.document"


@tagged("post_install", "-at_install")
class TestAgreementFiled(HttpCase):
    """The signed agreement is filed in the customer's archive as it comes
    into force, and the customer finds it among their filed documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "HSA Filed Co", "is_company": True})
        cls.portal = new_test_user(
            cls.env,
            login="hsa_filed_portal",
            password="hsa_filed_portal",
            groups="base.group_portal",
            partner_id=Partner.create(
                {"name": "HSA Filed Contact", "parent_id": cls.customer.id}
            ).id,
        )
        cls.agreement = cls.env["agreement"].create(
            {
                "name": "HSA Filed Agreement",
                "code": "HSA-FILED-1",
                "partner_id": cls.customer.id,
                "template_id": cls.env.ref(f"{MODULE}.agreement_template_default").id,
                "signature_date": "2025-12-15",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
                "acceptance_required": False,
            }
        )
        cls.agreement.service_level_ids.filtered(
            lambda level: level.owner_type == "emergency_team"
        ).owner_user_ids = cls.env.ref("base.user_admin")

    def _requests(self):
        return (
            self.env[REQUEST]
            .sudo()
            .search(
                [("res_model", "=", "agreement"), ("res_id", "=", self.agreement.id)],
                order="id",
            )
        )

    def _file(self):
        Request = self.env[REQUEST].sudo()
        for _round in range(2):
            Request.search([("state", "=", "pending")])._file()

    def test_activation_files_the_signed_agreement(self):
        self.assertFalse(self._requests())
        self.agreement.action_activate()
        self.assertEqual(
            self._requests().mapped("filing_key"),
            [f"agreement:{self.agreement.id}:activated"],
        )
        self._file()
        documents = (
            self.env[DOCUMENT]
            .sudo()
            .search(
                [("res_model", "=", "agreement"), ("res_id", "=", self.agreement.id)]
            )
        )
        self.assertEqual(documents.document_type, "agreement")
        self.authenticate("hsa_filed_portal", "hsa_filed_portal")
        page = self.url_open("/my/service_archive").text
        self.assertIn("HSA-FILED-1", page)
        response = self.url_open(f"/my/service_archive/{documents.id}/download")
        self.assertEqual(response.status_code, 200)

    def test_activated_again_is_filed_again(self):
        self.agreement.action_activate()
        self.agreement.action_set_draft()
        self.agreement.action_activate()
        self.assertEqual(
            self._requests().mapped("filing_key"),
            [
                f"agreement:{self.agreement.id}:activated",
                f"agreement:{self.agreement.id}:activated-2",
            ],
        )
