# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

AGREEMENT_REPORT = "helpdesk_service_agreement.action_report_agreement"
# the counters of the addon's cards on the portal home, shown on the cards
SERVICE_CARD_COUNTERS = (
    "agreement_count",
    "acceptance_count",
    "service_plan_count",
    "archive_document_count",
)


class AgreementCustomerPortal(CustomerPortal):
    """The customer's service agreements on the portal: the list of their
    company's agreements, the detail page and the printed contract. Read only:
    nothing changes over these GET routes."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "agreement_count" in counters:
            Agreement = request.env["agreement"]
            values["agreement_count"] = (
                Agreement.search_count(
                    self._prepare_agreements_domain(request.env.user.partner_id)
                )
                if Agreement.has_access("read")
                else 0
            )
        return values

    def _prepare_agreements_domain(self, partner):
        """The agreements a customer's contacts see: their company's signed
        ones, never a draft nor a template (the record rule says the same)."""
        return Domain(
            [
                ("commercial_partner_id", "child_of", partner.commercial_partner_id.id),
                ("is_template", "=", False),
                ("state", "!=", "draft"),
            ]
        )

    def _get_agreement_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "start_date desc, id desc",
            },
            "end_date": {
                "label": request.env._("End Date"),
                "order": "end_date asc, id desc",
            },
            "name": {"label": request.env._("Name"), "order": "name asc, id desc"},
            "code": {"label": request.env._("Reference"), "order": "code asc, id desc"},
        }

    def _get_agreement_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "active": {
                "label": request.env._("Active"),
                "domain": Domain("state", "=", "active"),
            },
            "expired": {
                "label": request.env._("Expired"),
                "domain": Domain("state", "=", "expired"),
            },
            "terminated": {
                "label": request.env._("Terminated"),
                "domain": Domain("state", "=", "terminated"),
            },
        }

    def _prepare_agreement_portal_rendering_values(
        self, page=1, sortby=None, filterby=None, **kwargs
    ):
        Agreement = request.env["agreement"]
        values = self._prepare_portal_layout_values()
        searchbar_sortings = self._get_agreement_searchbar_sortings()
        searchbar_filters = self._get_agreement_searchbar_filters()
        if sortby not in searchbar_sortings:
            sortby = "date"
        if filterby not in searchbar_filters:
            filterby = "all"
        domain = (
            self._prepare_agreements_domain(request.env.user.partner_id)
            & searchbar_filters[filterby]["domain"]
        )
        pager_values = portal_pager(
            url="/my/agreements",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Agreement.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        agreements = Agreement.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager_values["offset"],
        )
        values.update(
            {
                "agreements": agreements,
                "page_name": "agreement",
                "pager": pager_values,
                "default_url": "/my/agreements",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
            }
        )
        return values

    def _agreement_url(self, agreement, **query):
        return f"{agreement.access_url}?{url_encode(query)}"

    @http.route(
        ["/my/agreements", "/my/agreements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_agreements(self, **kwargs):
        if not request.env["agreement"].has_access("read"):
            return request.redirect("/my")
        values = self._prepare_agreement_portal_rendering_values(**kwargs)
        request.session["my_agreements_history"] = values["agreements"].ids[:100]
        return request.render("helpdesk_service_agreement.portal_my_agreements", values)

    @http.route(
        ["/my/agreements/<int:agreement_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_agreement_page(
        self, agreement_id, report_type=None, access_token=None, download=False, **kw
    ):
        try:
            agreement_sudo = self._document_check_access(
                "agreement", agreement_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        # a draft is not signed yet and a template is nobody's contract, even
        # for a holder of the link
        if agreement_sudo.is_template or agreement_sudo.state == "draft":
            return request.redirect("/my")
        # _document_check_access reads as OdooBot: render as superuser for the
        # visitor, so that the restricted terms follow who reads (the
        # customer's logged-in contacts, not the holder of a link; see
        # agreement._may_show_restricted_term)
        agreement_sudo = agreement_sudo.with_user(request.env.user).sudo()
        if request.env.user._is_internal():
            # staff work in the backend, where the confidential and commercial
            # terms stay restricted to the roles that may read them
            return request.redirect(f"/odoo/agreement/{agreement_sudo.id}")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=agreement_sudo,
                report_type=report_type,
                report_ref=AGREEMENT_REPORT,
                download=download,
            )
        # links that carry the visitor's token, if any: the page writes no
        # token of its own (GET routes only read)
        query = {"access_token": access_token} if access_token else {}
        values = self._get_page_view_values(
            agreement_sudo,
            access_token,
            {
                "agreement": agreement_sudo,
                "page_name": "agreement",
                "report_type": "html",
                # the company whose logo and address head the page
                "res_company": agreement_sudo.company_id or request.env.company,
                "print_url": self._agreement_url(
                    agreement_sudo, report_type="pdf", **query
                ),
                "download_url": self._agreement_url(
                    agreement_sudo, report_type="pdf", download="true", **query
                ),
            },
            "my_agreements_history",
            False,
        )
        return request.render(
            "helpdesk_service_agreement.portal_agreement_page", values
        )


class ServiceHomeCustomerPortal(CustomerPortal):
    """The portal home: what awaits the customer's answer (acceptance forms
    to sign, service plans to confirm, complaint results to give feedback
    on), each an alert card with its count, and the count of every service
    card. Counted as the portal user: the record rules say what they see."""

    def _service_waiting_domains(self, partner):
        """``{counter: (model, domain)}`` of what awaits the customer."""
        commercial = partner.commercial_partner_id
        return {
            "acceptance_to_sign_count": (
                "helpdesk.service.acceptance",
                Domain("partner_id", "=", commercial.id) & Domain("state", "=", "sent"),
            ),
            "service_plan_to_confirm_count": (
                "helpdesk.service.plan",
                Domain("partner_id", "=", commercial.id) & Domain("state", "=", "sent"),
            ),
            "complaint_feedback_count": (
                "helpdesk.ticket",
                Domain("commercial_partner_id", "=", commercial.id)
                & Domain("request_type", "=", "complaint")
                & Domain("complaint_result", "!=", False)
                & Domain("complaint_feedback", "=", False),
            ),
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        waiting = self._service_waiting_domains(request.env.user.partner_id)
        for counter in set(waiting) & set(counters):
            model, domain = waiting[counter]
            Model = request.env[model]
            values[counter] = (
                Model.search_count(domain) if Model.has_access("read") else 0
            )
        return values

    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        qcontext = getattr(response, "qcontext", None)
        if qcontext is not None:
            # the counts printed on the service cards (the alert cards get
            # theirs from /my/counters, as Odoo's own)
            qcontext["service_card_counts"] = self._prepare_home_portal_values(
                list(SERVICE_CARD_COUNTERS)
            )
        return response
