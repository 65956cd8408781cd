# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

DOCUMENT_MODEL = "helpdesk.service.archive.document"
# what a customer reads of its archive: what it signed or was given
PORTAL_DOCUMENT_TYPES = ("acceptance", "agreement", "summary", "plan_confirmation")


def _portal_domain():
    partner = request.env.user.partner_id.commercial_partner_id
    return Domain("partner_id", "=", partner.id) & Domain(
        "document_type", "in", PORTAL_DOCUMENT_TYPES
    )


class ArchiveCustomerPortal(CustomerPortal):
    """The customer's filed documents on the portal: the signed acceptance
    forms, the agreements as they ended or were renewed and the service
    summaries, as they were filed; never another customer's, never an
    internal record (the record rule says the same)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "archive_document_count" in counters:
            Document = request.env[DOCUMENT_MODEL]
            values["archive_document_count"] = (
                Document.search_count(_portal_domain())
                if Document.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/service_archive", "/my/service_archive/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_archive(self, page=1, **kwargs):
        Document = request.env[DOCUMENT_MODEL]
        if not Document.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        domain = _portal_domain()
        count = Document.search_count(domain)
        pager_values = portal_pager(
            url="/my/service_archive", total=count, page=page, step=self._items_per_page
        )
        documents = Document.search(
            domain,
            order="date_filed desc, id desc",
            limit=self._items_per_page,
            offset=pager_values["offset"],
        )
        values.update(
            {
                "documents": documents,
                "page_name": "service_archive",
                "pager": pager_values,
                "default_url": "/my/service_archive",
            }
        )
        return request.render(
            "helpdesk_service_agreement.portal_my_service_archive", values
        )

    @http.route(
        "/my/service_archive/<int:document_id>/download",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def portal_service_archive_download(self, document_id, **kwargs):
        document = request.env[DOCUMENT_MODEL].browse(document_id)
        try:
            document = document.exists()
            if not document or not document.filtered_domain(_portal_domain()):
                raise MissingError(request.env._("This document does not exist."))
            document.check_access("read")
        except (AccessError, MissingError):
            return request.not_found()
        # the customer may read the document (checked above); its file is an
        # attachment of a field only the filing writes, read as superuser
        content = document.sudo()._read_files().get(document.id)
        if not content:
            return request.not_found()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(document.file_name)),
            ],
        )
