# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date

from odoo import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tests import tagged

from .acceptance_common import signature_png
from .common import MODULE
from .plan_common import PlanCommon

ATTACHMENT = "ir.attachment"
FORGED = base64.b64encode(b"forged").decode()
# every file field of the addon's records; a new one must be covered here
EXPECTED_FILE_FIELDS = {
    ("helpdesk.service.acceptance", "signature"),
    ("helpdesk.service.acceptance", "paper_scan"),
    ("helpdesk.service.plan", "signature"),
    ("helpdesk.service.plan", "paper_scan"),
    ("helpdesk.service.archive.document", "file"),
}


@tagged("post_install", "-at_install")
class TestEvidenceFiles(PlanCommon):
    """The files of final records (signatures, paper scans, the signed copy
    in the chatter, the filed PDFs) are as final as the records, for every
    role, the superuser included: issue 17's attacks through
    ``ir.attachment``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        signed = cls._sent(cls.ticket)
        signed.sudo()._portal_accept("Wang Wei", signature_png(), cls.contact)
        paper = cls._sent(cls.ticket_2)
        paper.with_user(cls.agent)._record_paper_form(
            base64.b64encode(b"%PDF-1.4 paper form"),
            "form.pdf",
            "Wang Wei",
            date(2026, 3, 1),
            cls.contact,
        )
        plan_signed = cls._confirmed()
        plan_paper = cls._sent_plan(cls.ticket_2)
        plan_paper.with_user(cls.agent)._record_paper_confirmation(
            base64.b64encode(b"%PDF-1.4 paper confirmation"),
            "confirmation.pdf",
            "Wang Wei",
            date(2026, 3, 1),
            cls.contact,
        )
        cls.final = {
            ("helpdesk.service.acceptance", "signature"): signed,
            ("helpdesk.service.acceptance", "paper_scan"): paper,
            ("helpdesk.service.plan", "signature"): plan_signed,
            ("helpdesk.service.plan", "paper_scan"): plan_paper,
        }

    def _file_of(self, record, fname):
        return (
            self.env[ATTACHMENT]
            .sudo()
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("res_field", "=", fname),
                ]
            )
        )

    def _attackers(self):
        return {
            "agent": self.agent,
            "agent of another team": self.agent_2,
            "lead": self.lead,
            "manager": self.manager,
            "archivist": self.archivist,
            "admin": self.admin,
        }

    def _assert_frozen(self, attachment):
        before = attachment.sudo().datas
        for who, user in self._attackers().items():
            with self.subTest(who=who, file=attachment.name):
                with self.assertRaises(UserError):
                    attachment.with_user(user).write({"datas": FORGED})
                with self.assertRaises(UserError):
                    attachment.with_user(user).unlink()
        with self.subTest(who="superuser", file=attachment.name):
            root = attachment.with_user(SUPERUSER_ID).sudo()
            with self.assertRaisesRegex(UserError, "evidence"):
                root.write({"datas": FORGED})
            with self.assertRaisesRegex(UserError, "evidence"):
                root.write({"res_id": self.ticket.id, "res_model": "helpdesk.ticket"})
            with self.assertRaisesRegex(UserError, "evidence"):
                root.unlink()
        self.assertEqual(attachment.sudo().datas, before)

    def test_every_file_field_is_covered(self):
        """The test below covers every binary field the addon stores as an
        attachment: a new one fails here until it is covered."""
        found = set()
        for model in self.env.registry.values():
            if model._abstract or model._transient:
                continue
            for fname, field in model._fields.items():
                if (
                    field.type in ("binary", "image")
                    and field.attachment
                    and MODULE in (field._module or "")
                ):
                    found.add((model._name, fname))
        self.assertEqual(found, EXPECTED_FILE_FIELDS)

    def test_files_of_final_records_are_frozen(self):
        self._run_cron(f"{MODULE}.ir_cron_helpdesk_service_archive_file")
        filed = self.env["helpdesk.service.archive.document"].sudo().search([])[:1]
        self.assertTrue(filed)
        self.final[("helpdesk.service.archive.document", "file")] = filed
        for (model, fname), record in self.final.items():
            with self.subTest(model=model, field=fname):
                self.assertTrue(record._evidence_final())
                attachment = self._file_of(record, fname)
                self.assertEqual(len(attachment), 1)
                self._assert_frozen(attachment)
                # and no second file slips in beside it
                with self.assertRaisesRegex(UserError, "evidence|by filing only"):
                    self.env[ATTACHMENT].sudo().create(
                        {
                            "name": fname,
                            "datas": FORGED,
                            "res_model": model,
                            "res_id": record.id,
                            "res_field": fname,
                        }
                    )
                self.assertEqual(self._file_of(record, fname), attachment)

    def test_signed_copy_in_chatter_is_frozen(self):
        acceptance = self.final[("helpdesk.service.acceptance", "signature")]
        copy = (
            self.env[ATTACHMENT]
            .sudo()
            .search(
                [
                    ("res_model", "=", acceptance._name),
                    ("res_id", "=", acceptance.id),
                    ("mimetype", "=", "application/pdf"),
                ]
            )
        )
        self.assertTrue(copy)
        self._assert_frozen(copy)
        # the portal still hands out links to it
        copy.sudo().generate_access_token()
        self.assertTrue(copy.sudo().access_token)
        # deleting the chatter message leaves the copy bound to the form
        message = (
            self.env["mail.message"].sudo().search([("attachment_ids", "in", copy.ids)])
        )
        self.assertTrue(message)
        message.unlink()
        self.assertTrue(copy.exists())
        self._assert_frozen(copy)

    def test_files_of_open_records_stay_free(self):
        """A draft's files are work in progress: the guard leaves them."""
        plan = self._plan(self.ticket_2)
        attachment = (
            self.env[ATTACHMENT]
            .with_user(self.agent)
            .create(
                {
                    "name": "draft.txt",
                    "datas": FORGED,
                    "res_model": plan._name,
                    "res_id": plan.id,
                }
            )
        )
        self.assertFalse(plan._evidence_final())
        attachment.write({"datas": base64.b64encode(b"better").decode()})
        attachment.unlink()
        self.assertFalse(attachment.exists())

    def test_addon_attachments_query_free_when_cached(self):
        """A write on an unrelated file costs the guard no query beyond
        Odoo's own: the binding is read from the cache."""
        attachment = self.env[ATTACHMENT].create(
            {"name": "note.txt", "datas": FORGED, "res_model": "res.partner"}
        )
        attachment.fetch(["res_model", "res_id"])
        with self.assertQueryCount(0):
            attachment._check_not_evidence()
