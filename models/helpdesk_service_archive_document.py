# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A filed document of the service archive, chained as Odoo's accounting
# chains posted entries (account.move's inalterable hash): each document
# holds the SHA-256 of its PDF and a hash over its own fields and the hash of
# the company's previous document, so that a changed byte, a changed field or
# a removed document breaks the chain from that point on.
import base64
import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .helpdesk_service_evidence_mixin import EVIDENCE_FILES
from .system_fields import is_system_write, system_write

DOCUMENT_TYPES = [
    ("registration", "Customer Registration Form"),
    ("agreement", "Service Agreement"),
    ("problem_record", "Problem Record"),
    ("postmortem", "Postmortem"),
    ("acceptance", "Acceptance Form"),
    ("satisfaction", "Satisfaction Feedback"),
    ("complaint", "Complaint Record"),
    ("summary", "Service Summary Report"),
    ("plan", "Service Plan"),
    ("plan_confirmation", "Service Plan Confirmation"),
    ("progress_report", "Progress Report"),
    ("quality_check", "Quality Check Record"),
    ("sla_statement", "SLA Statement"),
    ("handover", "Hand-over Record"),
    ("meeting_minutes", "Meeting Minutes"),
    ("other", "Other Document"),
]
# the sentinel that only the filing code holds (system_write): documents are
# created by filing, never by a user or a script going through the ORM
FILING = "helpdesk_service_archive_filing"
# fields of a document that its chain hash covers, in this order
HASHED_FIELDS = (
    "company_id",
    "sequence_number",
    "archive_id",
    "customer_code",
    "document_type",
    "res_model",
    "res_id",
    "filing_key",
    "date_filed",
    "user_id",
    "file_name",
    "file_hash",
)
GENESIS_HASH = "0" * 64
# key of the transaction lock that serialises the filing of a company
_LOCK_KEY = 0x48534141


def document_title(*parts):
    """The human title of a filed record from its parts (its number, its
    customer, ...): the non-empty ones, once each, in order. What each record
    type files under is its ``_archive_document_title()``."""
    seen = []
    for part in parts:
        part = (part or "").strip()
        if part and not any(part in other for other in seen):
            seen.append(part)
    return " ".join(seen)


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def chain_hash(previous_hash, values):
    """The hash of a document from its hashed values and its predecessor's
    hash: values are serialised as JSON in a fixed order, ids as integers and
    dates as ISO strings."""
    payload = json.dumps(
        [previous_hash] + [values[fname] for fname in HASHED_FIELDS],
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return sha256_hex(payload.encode())


class HelpdeskServiceArchiveDocument(models.Model):
    _name = "helpdesk.service.archive.document"
    _description = "Filed Service Document"
    _inherit = ["helpdesk.service.evidence.mixin"]
    _order = "date_filed desc, sequence_number desc"
    _rec_name = "display_title"
    _check_company_auto = True

    _sequence_uniq = models.UniqueIndex(
        "(company_id, sequence_number)",
        lambda env, diag: env._("Two filed documents cannot share a chain number."),
    )
    _filing_key_uniq = models.UniqueIndex(
        "(company_id, filing_key)",
        lambda env, diag: env._("This document is already filed."),
    )

    archive_id = fields.Many2one(
        comodel_name="helpdesk.service.archive",
        required=True,
        readonly=True,
        index=True,
        # the ORM refuses every delete; the cascade serves uninstallation only
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        related="archive_id.partner_id", string="Customer", store=True
    )
    customer_code = fields.Char(string="Customer Number", readonly=True)
    document_type = fields.Selection(
        selection=DOCUMENT_TYPES, required=True, readonly=True
    )
    res_model = fields.Char(string="Source Model", readonly=True, required=True)
    res_id = fields.Many2oneReference(
        string="Source Record", model_field="res_model", readonly=True, required=True
    )
    res_name = fields.Char(string="Source", readonly=True)
    display_title = fields.Char(compute="_compute_display_title")
    filing_key = fields.Char(
        readonly=True,
        required=True,
        help="What was filed: the source record and the event that filed it. "
        "A key is filed once.",
    )
    date_filed = fields.Datetime(string="Filed On", required=True, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Filed By", required=True, readonly=True
    )
    file = fields.Binary(string="PDF", attachment=True, readonly=True)
    file_name = fields.Char(readonly=True)
    file_size = fields.Integer(readonly=True)
    file_hash = fields.Char(string="File SHA-256", readonly=True)
    sequence_number = fields.Integer(string="Chain Number", readonly=True)
    previous_hash = fields.Char(readonly=True)
    chain_hash = fields.Char(string="Hash", readonly=True)

    @api.depends("document_type", "res_name")
    def _compute_display_title(self):
        types = dict(self._fields["document_type"]._description_selection(self.env))
        for document in self:
            document.display_title = " · ".join(
                filter(None, (types.get(document.document_type), document.res_name))
            )

    def _evidence_final_domain(self):
        # filed is final: the document and its PDF
        return Domain.TRUE

    # ------------------------------------------------------------------
    # CRUD: filed once, never changed, never deleted
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_system_write(FILING):
            raise UserError(
                self.env._(
                    "Documents enter the service archive by filing only; use "
                    "'File in Archive' on the record."
                )
            )
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        # superuser included: a filed document is the record of what happened
        raise UserError(
            self.env._(
                "A filed document cannot be changed; file a new version instead."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A filed document cannot be deleted."))

    # ------------------------------------------------------------------
    # Filing: the chain
    # ------------------------------------------------------------------

    @api.model
    def _append(self, entries):
        """Append documents to their company's chain and store their PDF:
        ``entries`` are dicts with ``archive`` (record), ``document_type``,
        ``record`` (the source record), ``filing_key``, ``name`` (the file
        name), ``title`` (the record's title in the document's language),
        ``content`` (PDF bytes). The company's chain is locked for the rest
        of the transaction, so that two workers never take the same
        number."""
        Document = self.sudo()
        by_company = {}
        for entry in entries:
            by_company.setdefault(entry["archive"].company_id, []).append(entry)
        documents = Document.browse()
        now = fields.Datetime.to_string(fields.Datetime.now())
        for company, company_entries in sorted(
            by_company.items(), key=lambda item: item[0].id
        ):
            Document.env.cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", _LOCK_KEY, company.id)
            )
            Document.flush_model()
            last = Document.search(
                [("company_id", "=", company.id)], order="sequence_number desc", limit=1
            )
            number = last.sequence_number
            previous = last.chain_hash or GENESIS_HASH
            vals_list = []
            for entry in company_entries:
                number += 1
                record = entry["record"]
                values = {
                    "company_id": company.id,
                    "sequence_number": number,
                    "archive_id": entry["archive"].id,
                    "customer_code": entry["archive"].customer_code or "",
                    "document_type": entry["document_type"],
                    "res_model": record._name,
                    "res_id": record.id,
                    "filing_key": entry["filing_key"],
                    "date_filed": now,
                    "user_id": self.env.uid,
                    "file_name": entry["name"],
                    "file_hash": sha256_hex(entry["content"]),
                }
                digest = chain_hash(previous, values)
                vals_list.append(
                    dict(
                        values,
                        res_name=entry["title"],
                        file=base64.b64encode(entry["content"]),
                        file_size=len(entry["content"]),
                        previous_hash=previous,
                        chain_hash=digest,
                    )
                )
                previous = digest
            with system_write(FILING, EVIDENCE_FILES):
                documents |= Document.create(vals_list)
        return documents

    # ------------------------------------------------------------------
    # Integrity
    # ------------------------------------------------------------------

    def _hashed_values(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "sequence_number": self.sequence_number,
            "archive_id": self.archive_id.id,
            "customer_code": self.customer_code or "",
            "document_type": self.document_type,
            "res_model": self.res_model,
            "res_id": self.res_id,
            "filing_key": self.filing_key,
            "date_filed": fields.Datetime.to_string(self.date_filed),
            "user_id": self.user_id.id,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
        }

    @api.model
    def _check_chain(self, company, batch_size=1000):
        """Recompute every document's file hash and the company's chain, in
        chain order, reading the files from the filestore: the result says
        how many documents were checked and the first broken link (document,
        what was expected, what was found)."""
        Document = self.sudo()
        Document.env.invalidate_all()
        result = {
            "company": company,
            "checked": 0,
            "ok": True,
            "document": Document.browse(),
            "problem": False,
            "expected": False,
            "found": False,
            "first_number": 0,
            "last_number": 0,
        }
        previous = GENESIS_HASH
        expected_number = 1
        last_number = 0
        while True:
            documents = Document.search(
                [
                    ("company_id", "=", company.id),
                    ("sequence_number", ">", last_number),
                ],
                order="sequence_number",
                limit=batch_size,
            )
            if not documents:
                break
            files = documents._read_files()
            for document in documents:
                problem = document._check_link(
                    previous, expected_number, files.get(document.id)
                )
                if problem:
                    result.update(ok=False, document=document, **problem)
                    return result
                result["checked"] += 1
                result["first_number"] = (
                    result["first_number"] or document.sequence_number
                )
                result["last_number"] = document.sequence_number
                previous = document.chain_hash
                expected_number += 1
            last_number = documents[-1].sequence_number
            Document.env.invalidate_all()
        return result

    def _read_files(self):
        """The PDF bytes of the documents as the filestore holds them now:
        ``{document id: bytes}``."""
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_field", "=", "file"),
                    ("res_id", "in", self.ids),
                ]
            )
        )
        return {attachment.res_id: attachment.raw for attachment in attachments}

    def _check_link(self, previous, expected_number, content):
        """What is wrong with this document as the next link after
        ``previous``, or False."""
        self.ensure_one()
        env = self.env
        if self.sequence_number != expected_number:
            return {
                "problem": env._("A document is missing from the chain."),
                "expected": str(expected_number),
                "found": str(self.sequence_number),
            }
        if self.previous_hash != previous:
            return {
                "problem": env._("The link to the previous document was changed."),
                "expected": previous,
                "found": self.previous_hash or "",
            }
        found_file = sha256_hex(content or b"")
        if not content or found_file != self.file_hash:
            return {
                "problem": env._("The filed PDF was changed or removed."),
                "expected": self.file_hash or "",
                "found": found_file if content else env._("no file"),
            }
        found = chain_hash(previous, self._hashed_values())
        if found != self.chain_hash:
            return {
                "problem": env._("The document's filing data was changed."),
                "expected": self.chain_hash or "",
                "found": found,
            }
        return False
