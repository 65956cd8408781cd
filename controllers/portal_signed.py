# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal side of a document the customer answers
(helpdesk.service.signed.mixin): the steps every such route takes, written
once. The service plan's and the acceptance form's portals inherit them and
pass what differs (Odoo merges every CustomerPortal extension into one class:
these helpers take parameters rather than being overridden per document)."""

from werkzeug.urls import url_encode

from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class SignedDocumentCustomerPortal(CustomerPortal):
    def _signed_url(self, document, suffix="", /, **query):
        """The document's portal page (or one of its routes), with the
        query's non-empty values (any name, ``document`` included)."""
        query = {key: value for key, value in query.items() if value}
        url = f"{document.access_url}{suffix}"
        return f"{url}?{url_encode(query)}" if query else url

    def _signed_answering_partner(self, document_sudo):
        """Who answers: the logged-in contact of the customer, else the
        contact the link was sent to."""
        partner = request.env.user.partner_id
        if (
            not request.env.user._is_public()
            and partner.commercial_partner_id == document_sudo.partner_id
        ):
            return partner
        return document_sudo.contact_id

    def _signed_check_document(self, model_name, document_id, access_token):
        """The document if the visitor may see it (their company's, or the
        link's token) and the portal shows it; raise otherwise."""
        document_sudo = self._document_check_access(
            model_name, document_id, access_token=access_token
        )
        if not document_sudo._portal_shown():
            raise MissingError(request.env._("This document does not exist."))
        return document_sudo

    def _signed_sign(
        self,
        model_name,
        document_id,
        access_token,
        name,
        signature,
        *,
        refused,
        staff_refused,
        done_message,
    ):
        """The signing route (jsonrpc, as portal.signature_form posts it):
        the access check, the visitor (staff never sign for the customer),
        the values of the request, the signature as superuser in a savepoint;
        every refusal is an ``error`` answer, never a traceback."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            document_sudo = self._signed_check_document(
                model_name, document_id, access_token
            )
        except (AccessError, MissingError):
            return {"error": refused}
        if request.env.user._is_internal():
            return {"error": staff_refused}
        # a JSON request may carry anything: text or nothing
        name = name if isinstance(name, str) else None
        signature = signature if isinstance(signature, str) else None
        partner = self._signed_answering_partner(document_sudo)
        try:
            # as superuser after the check above; the savepoint leaves nothing
            # written when the signature is refused
            with request.env.cr.savepoint():
                document_sudo._portal_sign(name, signature, partner)
        except UserError as error:
            return {"error": error.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": self._signed_url(
                document_sudo, access_token=access_token, message=done_message
            ),
        }

    def _signed_answer(
        self, document_sudo, access_token, answer, refused, done_message
    ):
        """A form route (POST with the CSRF token) that answers otherwise
        than by signing: ``answer(partner)`` runs as superuser in a savepoint
        (the caller checked access), ``refused(message)`` renders the page
        again with the refusal; staff are sent to the backend."""
        if request.env.user._is_internal():
            return request.redirect(f"/odoo/{document_sudo._name}/{document_sudo.id}")
        partner = self._signed_answering_partner(document_sudo)
        try:
            # nothing is written when the answer is refused
            with request.env.cr.savepoint():
                answer(partner)
        except UserError as error:
            return refused(error.args[0])
        return request.redirect(
            self._signed_url(
                document_sudo, access_token=access_token, message=done_message
            )
        )
