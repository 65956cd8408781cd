# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_signed import SignedDocumentCustomerPortal

ACCEPTANCE_MODEL = "helpdesk.service.acceptance"
ACCEPTANCE_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_acceptance"
)
ACCEPTANCE_PAGE = "helpdesk_service_agreement.portal_acceptance_page"


class AcceptanceCustomerPortal(SignedDocumentCustomerPortal):
    """The customer's acceptance forms on the portal: the list, the page
    with the deliverables and their standards, the signature that accepts
    them (jsonrpc, as a quotation's) and the request for rectification
    (POST with the CSRF token). A logged-in contact of the customer or the
    holder of the link answers; a draft is never shown."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "acceptance_count" in counters:
            Acceptance = request.env[ACCEPTANCE_MODEL]
            values["acceptance_count"] = (
                Acceptance.search_count(
                    self._prepare_acceptances_domain(request.env.user.partner_id)
                )
                if Acceptance.has_access("read")
                else 0
            )
        return values

    def _prepare_acceptances_domain(self, partner):
        """The forms a customer's contacts see: their company's, once sent
        (the record rule says the same)."""
        return Domain("partner_id", "=", partner.commercial_partner_id.id) & Domain(
            "state", "!=", "draft"
        )

    def _get_acceptance_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "name": {"label": request.env._("Number"), "order": "name desc, id desc"},
        }

    def _get_acceptance_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "sent": {
                "label": request.env._("To Answer"),
                "domain": Domain("state", "=", "sent"),
            },
            "accepted": {
                "label": request.env._("Passed"),
                "domain": Domain("state", "=", "accepted"),
            },
            "rectify": {
                "label": request.env._("Needs Rectification"),
                "domain": Domain("state", "=", "rectify"),
            },
        }

    def _check_acceptance(self, acceptance_id, access_token):
        """The form if the visitor may see it (their company's, or the link's
        token), sent or answered; raise otherwise."""
        return self._signed_check_document(
            ACCEPTANCE_MODEL, acceptance_id, access_token
        )

    def _acceptance_page_values(self, acceptance_sudo, access_token, **extra):
        query = {"access_token": access_token}
        values = {
            "acceptance": acceptance_sudo,
            "page_name": "acceptance",
            "report_type": "html",
            # the company whose logo and address head the page
            "res_company": acceptance_sudo.company_id,
            "previous_rounds": acceptance_sudo._get_previous_rounds(),
            "signer_name": self._signed_answering_partner(acceptance_sudo).name,
            "accept_url": self._signed_url(acceptance_sudo, "/accept", **query),
            "rectify_url": self._signed_url(acceptance_sudo, "/rectify", **query),
            "print_url": self._signed_url(acceptance_sudo, report_type="pdf", **query),
            "download_url": self._signed_url(
                acceptance_sudo, report_type="pdf", download="true", **query
            ),
            "rectify_answers": {},
            "rectify_error": False,
            **extra,
        }
        return self._get_page_view_values(
            acceptance_sudo, access_token, values, "my_acceptances_history", False
        )

    @http.route(
        ["/my/acceptances", "/my/acceptances/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_acceptances(self, page=1, sortby=None, filterby=None, **kwargs):
        Acceptance = request.env[ACCEPTANCE_MODEL]
        if not Acceptance.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        sortings = self._get_acceptance_searchbar_sortings()
        filters = self._get_acceptance_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = (
            self._prepare_acceptances_domain(request.env.user.partner_id)
            & filters[filterby]["domain"]
        )
        pager_values = portal_pager(
            url="/my/acceptances",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Acceptance.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        acceptances = Acceptance.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager_values["offset"],
        )
        request.session["my_acceptances_history"] = acceptances.ids[:100]
        values.update(
            {
                "acceptances": acceptances,
                "page_name": "acceptance",
                "pager": pager_values,
                "default_url": "/my/acceptances",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render(
            "helpdesk_service_agreement.portal_my_acceptances", values
        )

    @http.route(
        ["/my/acceptances/<int:acceptance_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_acceptance_page(
        self, acceptance_id, report_type=None, access_token=None, download=False, **kw
    ):
        try:
            acceptance_sudo = self._check_acceptance(acceptance_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if request.env.user._is_internal():
            # staff work on the form in the backend
            return request.redirect(f"/odoo/{ACCEPTANCE_MODEL}/{acceptance_sudo.id}")
        if report_type in ("html", "pdf", "text"):
            # the printed form holds what the page shows the customer (no
            # internal field), rendered for the visitor checked above
            return self._show_report(
                model=acceptance_sudo,
                report_type=report_type,
                report_ref=ACCEPTANCE_REPORT,
                download=download,
            )
        values = self._acceptance_page_values(
            acceptance_sudo, access_token, message=kw.get("message")
        )
        return request.render(ACCEPTANCE_PAGE, values)

    @http.route(
        ["/my/acceptances/<int:acceptance_id>/accept"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_acceptance_accept(
        self, acceptance_id, access_token=None, name=None, signature=None
    ):
        """Accept every deliverable with a signature (name and drawn image),
        as portal.signature_form posts it."""
        return self._signed_sign(
            ACCEPTANCE_MODEL,
            acceptance_id,
            access_token,
            name,
            signature,
            refused=request.env._("This acceptance form is not yours to sign."),
            staff_refused=request.env._(
                "Staff do not sign for the customer: record the signed paper "
                "form in the backend."
            ),
            done_message="sign_ok",
        )

    @http.route(
        ["/my/acceptances/<int:acceptance_id>/rectify"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_acceptance_rectify(self, acceptance_id, access_token=None, **post):
        """Ask for rectification: each deliverable passed or failed
        (``result_<line id>``), the reason of each failure
        (``reason_<line id>``) and a remark (``remark_<line id>``)."""
        try:
            acceptance_sudo = self._check_acceptance(acceptance_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        answers = {
            line.id: {
                "result": post.get(f"result_{line.id}"),
                "reason": post.get(f"reason_{line.id}"),
                "remark": post.get(f"remark_{line.id}"),
            }
            for line in acceptance_sudo.line_ids
        }
        return self._signed_answer(
            acceptance_sudo,
            access_token,
            lambda partner: acceptance_sudo._portal_request_rectification(
                answers, partner
            ),
            lambda error: request.render(
                ACCEPTANCE_PAGE,
                self._acceptance_page_values(
                    acceptance_sudo,
                    access_token,
                    rectify_error=error,
                    rectify_answers=answers,
                ),
                status=400,
            ),
            "rectify_ok",
        )
