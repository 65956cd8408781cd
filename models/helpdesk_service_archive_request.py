# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The filing queue of the service archive: events (a ticket closes, a form is
# accepted, an agreement ends) ask for a document to be filed; a scheduled
# action renders the PDFs, several records per wkhtmltopdf call, and appends
# them to the company's chain in batches.
import functools
import logging
import subprocess

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.base.models import ir_actions_report

from .helpdesk_service_archive_document import DOCUMENT_TYPES

_logger = logging.getLogger(__name__)
# reports whose batch PDF Odoo could not split per record in this process
# (wkhtmltopdf built without patched Qt writes no outline to split on): their
# records are rendered one by one from then on, without a wasted batch call
_UNSPLITTABLE = set()


@functools.lru_cache
def _wkhtmltopdf_patched(binary):
    """Whether ``binary`` is a wkhtmltopdf built on patched Qt, the only
    build that renders several documents in one call (and writes the outline
    Odoo splits them on). Debian's is not: its records go one by one."""
    try:
        version = subprocess.run(
            [binary, "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "with patched qt" in version


# document type: (source model, report xml id)
FILING_REPORTS = {
    "registration": (
        "res.partner",
        "helpdesk_service_agreement.action_report_customer_registration",
    ),
    "agreement": ("agreement", "helpdesk_service_agreement.action_report_agreement"),
    "problem_record": (
        "helpdesk.ticket",
        "helpdesk_service_agreement.action_report_helpdesk_ticket_problem_record",
    ),
    "complaint": (
        "helpdesk.ticket",
        "helpdesk_service_agreement.action_report_helpdesk_ticket_problem_record",
    ),
    "postmortem": (
        "helpdesk.ticket.postmortem",
        "helpdesk_service_agreement.action_report_helpdesk_ticket_postmortem",
    ),
    "satisfaction": (
        "helpdesk.service.satisfaction",
        "helpdesk_service_agreement.action_report_helpdesk_service_satisfaction",
    ),
    "summary": (
        "helpdesk.service.summary",
        "helpdesk_service_agreement.action_report_helpdesk_service_summary",
    ),
    "acceptance": (
        "helpdesk.service.acceptance",
        "helpdesk_service_agreement.action_report_helpdesk_service_acceptance",
    ),
    "plan": (
        "helpdesk.service.plan",
        "helpdesk_service_agreement.action_report_helpdesk_service_plan",
    ),
    "plan_confirmation": (
        "helpdesk.service.plan",
        "helpdesk_service_agreement.action_report_helpdesk_service_plan_confirmation",
    ),
    "progress_report": (
        "helpdesk.service.plan.progress",
        "helpdesk_service_agreement.action_report_helpdesk_service_plan_progress",
    ),
    "quality_check": (
        "helpdesk.service.plan.quality.check",
        "helpdesk_service_agreement.action_report_helpdesk_service_plan_quality_check",
    ),
    "sla_statement": (
        "helpdesk.service.sla.statement",
        "helpdesk_service_agreement.action_report_helpdesk_service_sla_statement",
    ),
    "meeting_minutes": (
        "helpdesk.service.meeting",
        "helpdesk_service_agreement.action_report_helpdesk_service_meeting",
    ),
    "handover": (
        "helpdesk.service.handover",
        "helpdesk_service_agreement.action_report_helpdesk_service_handover",
    ),
}


class HelpdeskServiceArchiveRequest(models.Model):
    _name = "helpdesk.service.archive.request"
    _description = "Service Archive Filing Request"
    _order = "id"
    _check_company_auto = True

    _filing_key_uniq = models.UniqueIndex(
        "(company_id, filing_key)",
        lambda env, diag: env._("This document is already queued for filing."),
    )

    filing_key = fields.Char(required=True, readonly=True)
    document_type = fields.Selection(
        selection=DOCUMENT_TYPES, required=True, readonly=True
    )
    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Many2oneReference(
        model_field="res_model", required=True, readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    state = fields.Selection(
        selection=[
            ("pending", "To File"),
            ("filed", "Filed"),
            ("failed", "Filing Failed"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    document_id = fields.Many2one(
        comodel_name="helpdesk.service.archive.document", readonly=True
    )
    error = fields.Text(readonly=True)

    # ------------------------------------------------------------------
    # Queue
    # ------------------------------------------------------------------

    @api.model
    def _enqueue(self, entries):
        """Queue documents for filing, once per filing key: ``entries`` are
        ``(document type, record, filing key, partner, company, team)``.
        Customers without a customer number are queued too (the archive
        then opens under their name)."""
        Request = self.sudo()
        entries = [entry for entry in entries if entry[3]]
        if not entries:
            return Request.browse()
        Request._check_fileable(entries)
        keys = {(entry[4].id, entry[2]) for entry in entries}
        existing = {
            (request.company_id.id, request.filing_key)
            for request in Request.search(
                [("filing_key", "in", [key for _company, key in keys])]
            )
        }
        vals_list = []
        for document_type, record, key, partner, company, team in entries:
            if (company.id, key) in existing:
                continue
            existing.add((company.id, key))
            vals_list.append(
                {
                    "filing_key": key,
                    "document_type": document_type,
                    "res_model": record._name,
                    "res_id": record.id,
                    "partner_id": partner.commercial_partner_id.id,
                    "company_id": company.id,
                    "team_id": team.id if team else False,
                }
            )
        requests = Request.create(vals_list)
        if requests:
            Request.env.ref(
                "helpdesk_service_agreement.ir_cron_helpdesk_service_archive_file"
            ).sudo()._trigger()
        return requests

    @api.model
    def _check_fileable(self, entries):
        """Only final records are filed: a closed ticket, a finished
        postmortem, an accepted form, an answered survey, an approved summary,
        a confirmed plan, an agreement that was signed. Anything else is
        refused, nothing queued."""
        final = {
            "problem_record": lambda ticket: ticket.stage_id.closed,
            "complaint": lambda ticket: ticket.stage_id.closed,
            "postmortem": lambda postmortem: postmortem.state == "done",
            "acceptance": lambda acceptance: acceptance.state == "accepted",
            "satisfaction": lambda satisfaction: satisfaction.state == "answered",
            "summary": lambda summary: summary.state == "approved",
            "agreement": lambda agreement: agreement.state != "draft",
            "plan": lambda plan: plan.state == "confirmed",
            "plan_confirmation": lambda plan: plan.state == "confirmed",
            "progress_report": lambda report: report.state == "sent",
            "quality_check": lambda check: bool(check.result),
            "sla_statement": lambda statement: statement.state in ("approved", "sent"),
            "meeting_minutes": lambda meeting: meeting.state == "approved",
            "handover": lambda handover: handover.state == "done",
        }
        for document_type, record, _key, _partner, _company, _team in entries:
            check = final.get(document_type)
            if check and not check(record.sudo()):
                raise UserError(
                    self.env._(
                        "%(record)s is not final yet (a draft, unsigned, unanswered "
                        "or still open record): only final records are filed in the "
                        "service archive.",
                        record=record.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Filing
    # ------------------------------------------------------------------

    def _file(self):
        """File the pending requests: open the archives they need, render
        the PDFs per report and language, several records per call, and
        append them to the chains. A request whose rendering fails is marked
        failed with the reason; the others are filed."""
        requests = self.sudo().filtered(lambda request: request.state == "pending")
        if not requests:
            return self.browse()
        Archive = self.env["helpdesk.service.archive"].sudo()
        archives = Archive._get_or_create(
            [(request.partner_id, request.company_id) for request in requests]
        )
        # the registration form opens every new archive
        contents = {}
        groups = requests.grouped(
            lambda request: (request.document_type, request._document_lang())
        )
        for (document_type, lang), group in groups.items():
            contents.update(group._render(document_type, lang))
        entries = []
        filed = self.browse()
        for request in requests:
            content = contents.get(request)
            if isinstance(content, Exception) or not content:
                request.write(
                    {"state": "failed", "error": str(content or "no PDF")[:2000]}
                )
                continue
            record = self.env[request.res_model].browse(request.res_id)
            entries.append(
                {
                    "archive": archives[(request.partner_id, request.company_id)],
                    "document_type": request.document_type,
                    "record": record,
                    "filing_key": request.filing_key,
                    "name": request._file_name(record),
                    "title": request._document_title(record),
                    "content": content,
                    "request": request,
                }
            )
            filed |= request
        documents = self.env["helpdesk.service.archive.document"]._append(entries)
        for entry, document in zip(entries, documents, strict=True):
            entry["request"].write({"state": "filed", "document_id": document.id})
            team = entry["request"].team_id
            if team and team not in entry["archive"].team_ids:
                entry["archive"].team_ids = [fields.Command.link(team.id)]
        return filed

    def _render(self, document_type, lang):
        """PDF bytes of the requests' records, rendered in ``lang``:
        ``{request: bytes or the exception that stopped it}``. With a
        wkhtmltopdf built on patched Qt, Odoo's report engine renders the
        batch in one call and splits it per record on the PDF outline (one
        top-level heading per document); otherwise, or when the batch fails,
        each record is rendered alone, none lost."""
        model, report_xmlid = FILING_REPORTS[document_type]
        report = self.env.ref(report_xmlid).sudo()
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=lang, report_pdf_no_attachment=True)
        )
        res_ids = list(dict.fromkeys(self.mapped("res_id")))
        results = {}
        streams = {}
        if (
            len(res_ids) > 1
            and report.report_name not in _UNSPLITTABLE
            and _wkhtmltopdf_patched(ir_actions_report._wkhtml().bin)
        ):
            try:
                streams = Report._render_qweb_pdf_prepare_streams(
                    report.report_name, {}, res_ids=res_ids
                )
            except Exception:  # rendered one by one below
                _logger.info("Archive: batch rendering failed", exc_info=True)
                streams = {}
        split = {
            res_id: stream
            for res_id, stream in streams.items()
            if res_id and stream.get("stream")
        }
        if streams and set(split) != set(res_ids):
            # one PDF without an outline to split it on: the report's
            # records one by one from now on
            _UNSPLITTABLE.add(report.report_name)
        streams = split
        for res_id in res_ids:
            stream = streams.get(res_id, {}).get("stream")
            if not stream:
                try:
                    # always a PDF (_render_qweb_pdf gives HTML in test mode)
                    stream = Report._render_qweb_pdf_prepare_streams(
                        report.report_name, {}, res_ids=[res_id]
                    )[res_id]["stream"]
                except Exception as error:  # noqa: BLE001 - the request records it
                    _logger.warning("Archive: rendering %s,%s failed", model, res_id)
                    results[res_id] = error
                    continue
            results[res_id] = stream.getvalue()
        return {request: results.get(request.res_id) for request in self}

    def _document_lang(self):
        """The language the request's document is written in: its
        customer's, as the PDF is rendered."""
        self.ensure_one()
        return self.partner_id.lang or "en_US"

    def _document_title(self, record):
        """The title ``record`` is filed under, in the document's language:
        its number and customer, as the record type says
        (``_archive_document_title``), never a technical name."""
        self.ensure_one()
        return record.with_context(lang=self._document_lang())._archive_document_title()

    def _file_name(self, record):
        """The file name: the document type and the record's title, in the
        document's language (内部质量检查记录 ZJ2026-0001 上海星辰科技有限公司.pdf)."""
        self.ensure_one()
        env = self.with_context(lang=self._document_lang()).env
        types = dict(self._fields["document_type"]._description_selection(env))
        name = " ".join(
            filter(None, (types.get(self.document_type), self._document_title(record)))
        )
        # no path separator in a file name (a zip entry, a download)
        return name.replace("/", "-").replace("\\", "-") + ".pdf"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def _check_archivist(self):
        user = self.env.user
        if not self.env.su and not (
            user.has_group("helpdesk_service_agreement.group_service_archivist")
            or user.has_group("helpdesk_service_agreement.group_service_manager")
        ):
            raise UserError(
                self.env._(
                    "Only archivists and customer service managers file documents "
                    "by hand."
                )
            )

    def action_retry(self):
        """File failed requests again (the archivist, once the cause is
        fixed)."""
        self._check_archivist()
        failed = self.sudo().filtered(lambda request: request.state == "failed")
        failed.write({"state": "pending", "error": False})
        failed._file()
        return True

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_file_pending(self, batch_size=50):
        """File the queued documents in batches committed as they go; a
        request locked by another worker is left to it."""
        Request = self.sudo()
        domain = Domain("state", "=", "pending")
        Cron = self.env["ir.cron"]
        while True:
            # rows another worker holds are skipped, not waited for
            requests = Request.search(domain, limit=batch_size).try_lock_for_update()
            if not requests:
                break
            requests._file()
            remaining = Request.search_count(domain)
            if not Cron._commit_progress(len(requests), remaining=remaining):
                break
            if not remaining:
                break
