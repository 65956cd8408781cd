# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import content_disposition, request


class ServiceArchiveController(http.Controller):
    """The whole service dossier of a customer, for archivists and
    managers: one PDF (index then documents) or a zip of the filed files."""

    def _archive(self, archive_id):
        archive = request.env["helpdesk.service.archive"].browse(archive_id).exists()
        if not archive:
            raise request.not_found()
        archive._check_dossier_access()
        return archive

    @http.route(
        "/helpdesk_service/archive/<int:archive_id>/dossier",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def archive_dossier(self, archive_id, **kwargs):
        archive = self._archive(archive_id)
        content = archive._dossier_pdf()
        filename = request.env._("Service Dossier - %(name)s.pdf", name=archive.name)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route(
        "/helpdesk_service/archive/<int:archive_id>/zip",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def archive_zip(self, archive_id, **kwargs):
        archive = self._archive(archive_id)
        content = archive._dossier_zip()
        filename = request.env._("Service Dossier - %(name)s.zip", name=archive.name)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
