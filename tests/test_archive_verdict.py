# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .test_archive import ARCHIVE, MODULE, REQUEST, ArchiveCommon


@tagged("post_install", "-at_install")
class TestArchiveVerdict(ArchiveCommon):
    """Verify Integrity shows its verdict on screen (intact, or the first
    broken document and why), notes it in the archive's chatter and links to
    the printed report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ticket = cls._create_ticket()
        ticket.stage_id = cls.stage_done
        cls.env[REQUEST].sudo().search([])._file()
        cls.archive = cls.env[ARCHIVE].search([("partner_id", "=", cls.customer.id)])
        cls.document = cls.archive.document_ids[:1]

    def _verify(self, user=None):
        return self.archive.with_user(user or self.archivist).action_verify_integrity()

    def test_intact_verdict_on_screen_with_the_report_link(self):
        action = self._verify()
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["type"], "success")
        self.assertIn("Intact", params["message"])
        self.assertIn("%s", params["message"], "the link's place")
        self.assertEqual(
            params["links"][0]["url"],
            f"/report/pdf/{MODULE}.report_helpdesk_service_archive_integrity/"
            f"{self.archive.id}",
        )
        self.assertIn("Intact", self.archive.message_ids[0].body)

    def test_broken_chain_names_the_document_and_why(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_service_archive_document SET chain_hash = %s "
                "WHERE id = %s",
                "f" * 64,
                self.document.id,
            )
        )
        self.env.invalidate_all()
        params = self._verify(self.manager)["params"]
        self.assertEqual(params["type"], "danger")
        self.assertTrue(params["sticky"])
        self.assertIn(f"No. {self.document.sequence_number}", params["message"])
        self.assertIn(self.document.display_title, params["message"])
        self.assertIn("f" * 64, params["message"])

    def test_only_archivists_and_managers_verify(self):
        with self.assertRaises(AccessError):
            self._verify(self.agent)
