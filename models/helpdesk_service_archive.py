# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import zipfile

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.pdf import ArrayObject, NameObject, PdfFileReader, PdfFileWriter

from .helpdesk_service_archive_document import DOCUMENT_TYPES

DOSSIER_REPORT = "helpdesk_service_agreement.report_helpdesk_service_archive_dossier"
INTEGRITY_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_archive_integrity"
)


class HelpdeskServiceArchive(models.Model):
    """The service archive of one customer in one company (服务档案), named by
    its customer number: every document of its services is filed in it, in
    the company's hash chain (helpdesk.service.archive.document)."""

    _name = "helpdesk.service.archive"
    _description = "Service Archive"
    _inherit = ["mail.thread"]
    _order = "customer_code, id"
    _check_company_auto = True

    _partner_company_uniq = models.UniqueIndex(
        "(partner_id, company_id)",
        lambda env, diag: env._("A customer has one service archive per company."),
    )

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        # the ORM refuses to delete an archived customer (res_partner_archive);
        # the database cascades only for the uninstallation of demo customers
        ondelete="cascade",
    )
    customer_code = fields.Char(
        string="Customer Number",
        readonly=True,
        index=True,
        help="The customer number when the archive was opened: the archive keeps "
        "it even if the number is corrected later.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams",
        readonly=True,
        help="Teams whose tickets filed documents here: their members read the "
        "archive.",
    )
    document_ids = fields.One2many(
        comodel_name="helpdesk.service.archive.document",
        inverse_name="archive_id",
        string="Documents",
        readonly=True,
    )
    document_count = fields.Integer(compute="_compute_document_count")
    last_filed_date = fields.Datetime(
        string="Last Filed", compute="_compute_document_count"
    )

    @api.depends("customer_code", "partner_id.name")
    def _compute_name(self):
        for archive in self:
            archive.name = " ".join(
                filter(None, (archive.customer_code, archive.partner_id.name))
            )

    def _compute_document_count(self):
        groups = self.env["helpdesk.service.archive.document"]._read_group(
            [("archive_id", "in", self.ids)],
            ["archive_id"],
            ["__count", "date_filed:max"],
        )
        figures = {archive: (count, last) for archive, count, last in groups}
        for archive in self:
            archive.document_count, archive.last_filed_date = figures.get(
                archive, (0, False)
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
        if self.sudo().document_ids:
            raise UserError(
                self.env._("A service archive that holds documents cannot be deleted.")
            )

    def write(self, vals):
        # the archive's identity is set when it opens; the teams follow filing
        if {"partner_id", "company_id", "customer_code"} & set(vals):
            raise UserError(
                self.env._(
                    "The customer and company of a service archive never change."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_archive_document_action"
        )
        action["domain"] = [("archive_id", "=", self.id)]
        action["context"] = {"default_archive_id": self.id}
        return action

    def action_file_pending(self):
        """File now what is queued for the archive's customer (archivist)."""
        Request = self.env["helpdesk.service.archive.request"]
        Request._check_archivist()
        Request.sudo().search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("state", "=", "pending"),
            ]
        )._file()
        return True

    def action_print_dossier(self):
        """One PDF of the customer's archive: the index, then every document."""
        self.ensure_one()
        self._check_dossier_access()
        return {
            "type": "ir.actions.act_url",
            "url": f"/helpdesk_service/archive/{self.id}/dossier",
            "target": "download",
        }

    def action_download_zip(self):
        """Every filed document of the archive, as they were filed, in a zip."""
        self.ensure_one()
        self._check_dossier_access()
        return {
            "type": "ir.actions.act_url",
            "url": f"/helpdesk_service/archive/{self.id}/zip",
            "target": "download",
        }

    def action_verify_integrity(self):
        """Check every document of the archive's company chain and show the
        verdict on screen: intact, or the first broken document and why; the
        notification links to the printed integrity report (also in the
        Print menu). The verdict is noted in the archive's chatter."""
        self.ensure_one()
        self._check_dossier_access()
        result = self._integrity_result()
        verdict = self._integrity_verdict(result)
        # the archivist's or manager's right was checked above: the note is
        # the system's record of the check
        self.sudo().message_post(body=verdict, subtype_xmlid="mail.mt_note")
        report = self.env.ref(INTEGRITY_REPORT)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Archive intact")
                if result["ok"]
                else self.env._("Archive chain broken"),
                # plain text, escaped by the client; %s places the link
                "message": f"{verdict} %s",
                "links": [
                    {
                        "label": self.env._("Print the integrity report"),
                        "url": f"/report/pdf/{report.report_name}/{self.id}",
                    }
                ],
                "type": "success" if result["ok"] else "danger",
                "sticky": not result["ok"],
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _get_or_create(self, pairs):
        """The archives of ``(commercial partner, company)`` pairs, opened
        when missing: ``{(partner, company): archive}``."""
        pairs = {(partner.commercial_partner_id, company) for partner, company in pairs}
        if not pairs:
            return {}
        archives = self.sudo().search(
            [
                ("partner_id", "in", [partner.id for partner, _company in pairs]),
                ("company_id", "in", [company.id for _partner, company in pairs]),
            ]
        )
        found = {
            (archive.partner_id, archive.company_id): archive for archive in archives
        }
        missing = [pair for pair in pairs if pair not in found]
        if missing:
            # no "created" message: written by the scheduler in its language
            created = (
                self.sudo()
                .with_context(mail_create_nolog=True)
                .create(
                    [
                        {
                            "partner_id": partner.id,
                            "company_id": company.id,
                            "customer_code": partner.customer_code or False,
                        }
                        for partner, company in missing
                    ]
                )
            )
            found.update(zip(missing, created, strict=True))
            # the registration form opens every archive
            self.env["helpdesk.service.archive.request"]._enqueue(
                [
                    (
                        "registration",
                        partner,
                        f"registration:{partner.id}",
                        partner,
                        company,
                        False,
                    )
                    for partner, company in missing
                ]
            )
        return found

    def _check_dossier_access(self):
        """The whole dossier is for archivists and managers of the company."""
        self.check_access("read")
        user = self.env.user
        if not self.env.su and not (
            user.has_group("helpdesk_service_agreement.group_service_archivist")
            or user.has_group("helpdesk_service_agreement.group_service_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only archivists and customer service managers print or "
                    "download a whole service dossier."
                )
            )

    def _dossier_documents(self):
        """The archive's documents in dossier order: by type, then date."""
        self.ensure_one()
        order = {key: index for index, (key, _label) in enumerate(DOCUMENT_TYPES)}
        return self.sudo().document_ids.sorted(
            lambda document: (
                order.get(document.document_type, 99),
                document.date_filed,
                document.sequence_number,
            )
        )

    def _dossier_pdf(self):
        """The dossier: its index with the page each document starts on,
        rendered now, then each filed PDF as it was filed (read back from the
        filestore); a bookmark for the index and one per document."""
        self.ensure_one()
        self._check_dossier_access()
        lang = self.partner_id.lang or self.env.lang
        documents = self._dossier_documents()
        files = documents._read_files()
        documents = documents.filtered(lambda document: document.id in files)
        readers = {
            document.id: PdfFileReader(io.BytesIO(files[document.id]), strict=False)
            for document in documents
        }
        Report = self.env["ir.actions.report"].sudo().with_context(lang=lang)
        # the index's own length moves the pages it lists: rendered again
        # until the pages it assumed are the pages it has
        index_pages, index = 1, None
        for _attempt in range(3):
            start_pages, page = {}, index_pages + 1
            for document in documents:
                start_pages[document.id] = page
                page += len(readers[document.id].pages)
            content = Report._render_qweb_pdf_prepare_streams(
                DOSSIER_REPORT, {"dossier_start_pages": start_pages}, res_ids=self.ids
            )[self.id]["stream"].getvalue()
            index = PdfFileReader(io.BytesIO(content), strict=False)
            if len(index.pages) == index_pages:
                break
            index_pages = len(index.pages)
        writer = PdfFileWriter()
        for page in index.pages:
            writer.add_page(page)
        for document in documents:
            for page in readers[document.id].pages:
                writer.add_page(page)
        bookmarks = [(self.with_context(lang=lang).env._("Contents"), 0)]
        bookmarks += [
            (document.display_title, start_pages[document.id] - 1)
            for document in documents.with_context(lang=lang)
        ]
        pages = writer._root_object["/Pages"]["/Kids"]
        for title, page_index in bookmarks:
            item = writer.add_outline_item(title, page_index).get_object()
            # to the page itself (PyPDF2 2.x writes the page's number, which
            # viewers do not follow)
            item.pop(NameObject("/A"), None)
            item[NameObject("/Dest")] = ArrayObject(
                [pages[page_index], NameObject("/Fit")]
            )
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    def _dossier_zip(self):
        self.ensure_one()
        self._check_dossier_access()
        documents = self._dossier_documents()
        files = documents._read_files()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive_zip:
            for document in documents:
                if document.id in files:
                    name = f"{document.sequence_number:06d} {document.file_name}"
                    archive_zip.writestr(name, files[document.id])
        return buffer.getvalue()

    def _integrity_verdict(self, result):
        """The verdict of an integrity check in a sentence."""
        self.ensure_one()
        if result["ok"]:
            return self.env._(
                "Intact: the %(count)s filed documents of %(company)s's chain "
                "were read back; each file matches its hash and each link its "
                "predecessor (%(own)s of them in this archive).",
                count=result["checked"],
                company=result["company"].name,
                own=result["archive_documents"],
            )
        document = result["document"]
        return self.env._(
            "Broken at document No. %(number)s (%(document)s, archive "
            "%(archive)s): %(problem)s Expected %(expected)s, found %(found)s.",
            number=document.sequence_number,
            document=document.display_title,
            archive=document.archive_id.name,
            problem=result["problem"],
            expected=result["expected"],
            found=result["found"],
        )

    def _integrity_result(self):
        """The integrity check of the company chain of the archive, with the
        archive's own documents counted."""
        self.ensure_one()
        result = (
            self.env["helpdesk.service.archive.document"]
            .sudo()
            ._check_chain(self.company_id)
        )
        result["archive_documents"] = self.sudo().document_count
        return result
