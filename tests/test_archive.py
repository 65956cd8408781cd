# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service archive: filing on events, once; the hash chain over batches
and companies; immutability for every role and the superuser; tampering in
SQL or in the filestore found by Verify Integrity; the integrity report read
back from its PDF."""

import itertools
import subprocess

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import MODULE, ServiceCommon

ARCHIVE = "helpdesk.service.archive"
DOCUMENT = "helpdesk.service.archive.document"
REQUEST = "helpdesk.service.archive.request"
CRON = f"{MODULE}.ir_cron_helpdesk_service_archive_file"


def pdf_text(content):
    """The text of a PDF as pdftotext extracts it."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


class ArchiveCommon(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.customer_code = "C-0042"
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def _closed_ticket(self, **vals):
        ticket = self._create_ticket(**vals)
        ticket.stage_id = self.stage_done
        return ticket

    def _file_all(self):
        self._run_cron(CRON)
        self.env.invalidate_all()

    def _archive(self, partner=None):
        return self.env[ARCHIVE].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )


@tagged("post_install", "-at_install")
class TestArchiveFiling(ArchiveCommon):
    def test_closed_ticket_is_filed_once(self):
        ticket = self._closed_ticket()
        requests = self.env[REQUEST].search([("res_id", "=", ticket.id)])
        self.assertEqual(requests.mapped("document_type"), ["problem_record"])
        self.assertEqual(requests.state, "pending")
        self._file_all()
        archive = self._archive()
        self.assertEqual(archive.name, "C-0042 HSA Customer Ltd")
        self.assertEqual(archive.customer_code, "C-0042")
        self.assertIn(ticket.team_id, archive.team_ids)
        # the registration form opens the archive, the problem record follows
        self.assertEqual(
            sorted(archive.document_ids.mapped("document_type")),
            ["problem_record", "registration"],
        )
        record = archive.document_ids.filtered(
            lambda document: document.document_type == "problem_record"
        )
        self.assertEqual((record.res_model, record.res_id), (ticket._name, ticket.id))
        text = pdf_text(record._read_files()[record.id])
        self.assertIn("Problem Record", text)
        self.assertIn(ticket.number, text)
        # the scheduler running again files nothing twice
        self._file_all()
        self.assertEqual(len(self._archive().document_ids), 2)

    def test_closed_complaint_is_filed_as_its_record(self):
        complaint = self._create_ticket(
            name="Engineer was rude",
            request_type="complaint",
            complaint_channel="phone",
        )
        complaint.complaint_result = "We apologised and changed the engineer."
        complaint.action_complaint_satisfied()
        complaint.stage_id = self.stage_done
        self._file_all()
        record = self._archive().document_ids.filtered(
            lambda document: document.document_type == "complaint"
        )
        self.assertEqual(record.res_id, complaint.id)
        text = pdf_text(record._read_files()[record.id])
        for expected in (
            "Complaint Record",
            "Phone",
            "changed the engineer",
            "Satisfied",
        ):
            self.assertIn(expected, text)

    def test_reclosing_files_a_new_version(self):
        ticket = self._closed_ticket()
        self._file_all()
        ticket.stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        with self._at("2030-01-02 10:00:00"):
            ticket.stage_id = self.stage_done
        self._file_all()
        records = self._archive().document_ids.filtered(
            lambda document: document.document_type == "problem_record"
        )
        self.assertEqual(len(records), 2)

    def test_chain_continuity_over_batches_and_companies(self):
        other_company = self.env["res.company"].create({"name": "HSA Other Co"})
        foreign = self.env["res.partner"].create(
            {"name": "HSA Foreign Customer", "is_company": True}
        )
        for _index in range(3):
            self._closed_ticket()
        self._closed_ticket(
            partner_id=foreign.id,
            company_id=other_company.id,
            team_id=False,
        )
        # one request per scheduler batch: the chain runs across batches
        self.env.ref(CRON).code = "model._cron_file_pending(batch_size=1)"
        self._file_all()
        Document = self.env[DOCUMENT].sudo()
        mine = Document.search(
            [("company_id", "=", self.company.id)], order="sequence_number"
        )
        theirs = Document.search(
            [("company_id", "=", other_company.id)], order="sequence_number"
        )
        self.assertEqual(mine.mapped("sequence_number"), list(range(1, len(mine) + 1)))
        self.assertEqual(theirs.mapped("sequence_number"), [1, 2])
        self.assertEqual(mine[0].previous_hash, "0" * 64)
        for previous, document in itertools.pairwise(mine):
            self.assertEqual(document.previous_hash, previous.chain_hash)
        for company in (self.company, other_company):
            result = Document._check_chain(company)
            self.assertTrue(result["ok"], result)

    def test_signed_acceptance_and_agreement_end_are_filed(self):
        agreement = self._create_agreement()
        agreement._terminate(agreement.start_date, "Customer moved away")
        self._file_all()
        types = self._archive().document_ids.mapped("document_type")
        self.assertIn("agreement", types)

    def test_failed_rendering_is_recorded_and_retried(self):
        ticket = self._closed_ticket()
        request = self.env[REQUEST].search([("res_id", "=", ticket.id)])
        report = self.env.ref(f"{MODULE}.action_report_helpdesk_ticket_problem_record")
        Report = type(self.env["ir.actions.report"])
        original = Report._render_qweb_pdf_prepare_streams

        def broken(self_, *args, **kwargs):
            raise UserError(self.env._("wkhtmltopdf crashed"))

        self.assertTrue(report)
        Report._render_qweb_pdf_prepare_streams = broken
        try:
            request._file()
        finally:
            Report._render_qweb_pdf_prepare_streams = original
        self.assertEqual(request.state, "failed")
        self.assertIn("wkhtmltopdf crashed", request.error)
        with self.assertRaises(UserError):
            request.with_user(self.agent).action_retry()
        request.with_user(self.archivist).action_retry()
        self.assertEqual(request.state, "filed")


@tagged("post_install", "-at_install")
class TestArchiveImmutability(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ticket = cls._create_ticket()
        ticket.stage_id = cls.stage_done
        cls.env[REQUEST].sudo().search([])._file()
        cls.archive = cls.env[ARCHIVE].search([("partner_id", "=", cls.customer.id)])
        cls.document = cls.archive.document_ids.filtered(
            lambda document: document.document_type == "problem_record"
        )

    def _reports(self):
        # a real PDF, not the HTML tests get by default
        return self.env["ir.actions.report"].with_context(force_report_rendering=True)

    def _attachment(self):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", DOCUMENT),
                    ("res_field", "=", "file"),
                    ("res_id", "=", self.document.id),
                ]
            )
        )

    def test_nobody_changes_or_deletes_a_filed_document(self):
        before = self.document.chain_hash
        for user in (self.agent, self.lead, self.manager, self.archivist):
            with self.assertRaises(UserError):
                self.document.with_user(user).write({"res_name": "forged"})
            with self.assertRaises(UserError):
                self.document.with_user(user).unlink()
        with self.assertRaises(UserError):
            self.document.sudo().write({"chain_hash": "0" * 64})
        with self.assertRaises(UserError):
            self.document.sudo().unlink()
        with self.assertRaises(UserError):
            self._attachment().write({"raw": b"%PDF-1.4 forged"})
        with self.assertRaises(UserError):
            self._attachment().unlink()
        with self.assertRaises(UserError):
            self.env["ir.attachment"].sudo().create(
                {"name": "x.pdf", "raw": b"x", "res_model": DOCUMENT, "res_id": 1}
            )
        with self.assertRaises(UserError):
            self.env[DOCUMENT].sudo().create(
                {"archive_id": self.archive.id, "document_type": "other"}
            )
        self.assertEqual(self.document.chain_hash, before)

    def test_archive_and_partner_kept(self):
        with self.assertRaises(UserError):
            self.archive.sudo().unlink()
        with self.assertRaises(UserError):
            self.customer.sudo().unlink()
        with self.assertRaises(UserError):
            self.archive.sudo().write({"partner_id": self.contact.id})

    def test_tampering_in_sql_is_detected(self):
        Document = self.env[DOCUMENT].sudo()
        self.assertTrue(Document._check_chain(self.company)["ok"])
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_service_archive_document SET res_id = res_id + 1 "
                "WHERE id = %s",
                self.document.id,
            )
        )
        result = Document._check_chain(self.company)
        self.assertFalse(result["ok"])
        self.assertEqual(result["document"], self.document)
        self.assertEqual(result["expected"], self.document.chain_hash)
        self.assertNotEqual(result["found"], result["expected"])

    def test_tampering_a_hash_breaks_the_next_link(self):
        Document = self.env[DOCUMENT].sudo()
        first = Document.search(
            [("company_id", "=", self.company.id)], order="sequence_number", limit=1
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_service_archive_document SET chain_hash = %s "
                "WHERE id = %s",
                "f" * 64,
                first.id,
            )
        )
        result = Document._check_chain(self.company)
        self.assertFalse(result["ok"])
        self.assertEqual(result["document"], first)

    def test_tampering_the_filestore_is_detected(self):
        attachment = self._attachment()
        self.assertTrue(attachment.store_fname, "filed PDFs live in the filestore")
        path = attachment._full_path(attachment.store_fname)
        with open(path, "rb") as handle:
            original = handle.read()
        tampered = bytearray(original)
        tampered[len(tampered) // 2] ^= 0x01
        try:
            with open(path, "wb") as handle:
                handle.write(bytes(tampered))
            result = self.env[DOCUMENT].sudo()._check_chain(self.company)
            self.assertFalse(result["ok"])
            self.assertEqual(result["document"], self.document)
            self.assertEqual(result["expected"], self.document.file_hash)
            # the integrity report says so, in the archivist's PDF
            content, _type = self._reports()._render_qweb_pdf(
                f"{MODULE}.action_report_helpdesk_service_archive_integrity",
                res_ids=self.archive.ids,
            )
            text = " ".join(pdf_text(content).split())
            self.assertIn("The chain is broken", text)
            self.assertIn(self.document.file_hash[:16], text.replace("\n", ""))
        finally:
            with open(path, "wb") as handle:
                handle.write(original)
        content, _type = self._reports()._render_qweb_pdf(
            f"{MODULE}.action_report_helpdesk_service_archive_integrity",
            res_ids=self.archive.ids,
        )
        self.assertIn(
            "Nothing was changed or removed.", " ".join(pdf_text(content).split())
        )


@tagged("post_install", "-at_install")
class TestArchiveAccess(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ticket = cls._create_ticket()
        ticket.stage_id = cls.stage_done
        cls.env[REQUEST].sudo().search([])._file()
        cls.archive = cls.env[ARCHIVE].search([("partner_id", "=", cls.customer.id)])

    def test_readers_per_role(self):
        # the ticket's team (support) holds the agent and the lead
        for user in (self.agent, self.lead, self.manager, self.archivist):
            self.assertEqual(
                self.env[ARCHIVE].with_user(user).search([]), self.archive, user.login
            )
            self.assertTrue(
                self.env[DOCUMENT]
                .with_user(user)
                .search([("archive_id", "=", self.archive.id)])
            )
        # an agent of another team sees neither the archive nor its documents
        self.assertFalse(self.env[ARCHIVE].with_user(self.agent_2).search([]))
        self.assertFalse(self.env[DOCUMENT].with_user(self.agent_2).search([]))
        with self.assertRaises(AccessError):
            self.archive.with_user(self.agent_2).read(["name"])

    def test_filing_by_hand_is_for_archivists(self):
        ticket = self._create_ticket()
        ticket.stage_id = self.stage_done
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).action_file_in_archive()
        # the archivist reaches only own tickets: the manager files this one
        with self.assertRaises(UserError):
            ticket.with_user(self.archivist).action_file_in_archive()
        ticket.with_user(self.manager).action_file_in_archive()
        self.assertIn(
            ticket.id,
            self.archive.document_ids.filtered(
                lambda document: document.document_type == "problem_record"
            ).mapped("res_id"),
        )

    def test_open_or_draft_records_are_not_filed(self):
        ticket = self._create_ticket()
        requests = self.env[REQUEST].search_count([])
        with self.assertRaisesRegex(UserError, "not final"):
            ticket.with_user(self.manager).action_file_in_archive()
        draft = self.env["helpdesk.ticket.postmortem"].create({"ticket_id": ticket.id})
        with self.assertRaisesRegex(UserError, "not final"):
            self.env[REQUEST]._enqueue(
                [
                    (
                        "postmortem",
                        draft,
                        "postmortem:draft",
                        self.customer,
                        self.company,
                        False,
                    )
                ]
            )
        self.assertEqual(self.env[REQUEST].search_count([]), requests)

    def test_nobody_creates_archives_or_requests(self):
        for user in (self.agent, self.manager, self.archivist):
            with self.assertRaises(AccessError):
                self.env[ARCHIVE].with_user(user).create(
                    {"partner_id": self.contact.id}
                )
            with self.assertRaises(AccessError):
                self.env[REQUEST].with_user(user).create(
                    {
                        "filing_key": "x",
                        "document_type": "other",
                        "res_model": "res.partner",
                        "res_id": self.customer.id,
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                    }
                )

    def test_partner_smart_button(self):
        # an agent of another team is not shown an archive they cannot open
        self.assertEqual(self.customer.with_user(self.agent_2).service_archive_count, 0)
        customer = self.customer.with_user(self.archivist)
        self.assertEqual(customer.service_archive_count, 1)
        action = customer.action_view_service_archive()
        self.assertEqual(action["res_id"], self.archive.id)
