# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.helpdesk_service_plan import PORTAL_STATES
from .portal_signed import SignedDocumentCustomerPortal

PLAN_MODEL = "helpdesk.service.plan"
PLAN_REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_plan"
CONFIRMATION_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_plan_confirmation"
)
PLAN_PAGE = "helpdesk_service_agreement.portal_service_plan_page"


class ServicePlanCustomerPortal(SignedDocumentCustomerPortal):
    """The customer's service plans on the portal: the list, the page with
    the goals, content, milestones, deliverables and duties (never the fees
    nor internal remarks), the signature that confirms the plan (jsonrpc, as
    a quotation's) and the request for changes (POST with the CSRF token). A
    logged-in contact of the customer or the holder of the link answers; a
    plan not sent yet is never shown."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_plan_count" in counters:
            Plan = request.env[PLAN_MODEL]
            values["service_plan_count"] = (
                Plan.search_count(
                    self._prepare_service_plans_domain(request.env.user.partner_id)
                )
                if Plan.has_access("read")
                else 0
            )
        return values

    def _prepare_service_plans_domain(self, partner):
        """The plans a customer's contacts see: their company's, once sent
        (the record rule says the same)."""
        return Domain("partner_id", "=", partner.commercial_partner_id.id) & Domain(
            "state", "in", PORTAL_STATES
        )

    def _check_service_plan(self, plan_id, access_token):
        """The plan if the visitor may see it (their company's, or the link's
        token), sent or answered; raise otherwise."""
        return self._signed_check_document(PLAN_MODEL, plan_id, access_token)

    def _service_plan_page_values(self, plan_sudo, access_token, **extra):
        query = {"access_token": access_token}
        values = {
            "plan": plan_sudo,
            "page_name": "service_plan",
            "report_type": "html",
            "res_company": plan_sudo.company_id,
            "signer_name": self._signed_answering_partner(plan_sudo).name,
            "confirm_url": self._signed_url(plan_sudo, "/confirm", **query),
            "changes_url": self._signed_url(plan_sudo, "/changes", **query),
            "print_url": self._signed_url(plan_sudo, report_type="pdf", **query),
            "confirmation_url": self._signed_url(
                plan_sudo, report_type="pdf", document="confirmation", **query
            ),
            "changes_comments": "",
            "changes_error": False,
            # the plan passed _document_check_access (plan_sudo): its sent
            # progress reports, their dates and summaries only
            "progress_reports": plan_sudo.progress_ids.filtered(
                lambda report: report.state == "sent"
            ),
            **extra,
        }
        return self._get_page_view_values(
            plan_sudo, access_token, values, "my_service_plans_history", False
        )

    @http.route(
        ["/my/service_plans", "/my/service_plans/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_plans(self, page=1, **kwargs):
        Plan = request.env[PLAN_MODEL]
        if not Plan.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        domain = self._prepare_service_plans_domain(request.env.user.partner_id)
        pager_values = portal_pager(
            url="/my/service_plans",
            total=Plan.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        plans = Plan.search(
            domain,
            order="id desc",
            limit=self._items_per_page,
            offset=pager_values["offset"],
        )
        request.session["my_service_plans_history"] = plans.ids[:100]
        values.update(
            {
                "plans": plans,
                "page_name": "service_plan",
                "pager": pager_values,
                "default_url": "/my/service_plans",
            }
        )
        return request.render(
            "helpdesk_service_agreement.portal_my_service_plans", values
        )

    @http.route(
        ["/my/service_plans/<int:plan_id>"], type="http", auth="public", website=True
    )
    def portal_service_plan_page(
        self,
        plan_id,
        report_type=None,
        access_token=None,
        download=False,
        document=None,
        **kw,
    ):
        try:
            plan_sudo = self._check_service_plan(plan_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if request.env.user._is_internal():
            # staff work on the plan in the backend
            return request.redirect(f"/odoo/{PLAN_MODEL}/{plan_sudo.id}")
        if report_type in ("html", "pdf", "text"):
            # the printed plan holds what the page shows the customer (the
            # fees are printed for managers only), rendered for the visitor
            # checked above
            return self._show_report(
                model=plan_sudo,
                report_type=report_type,
                report_ref=(
                    CONFIRMATION_REPORT if document == "confirmation" else PLAN_REPORT
                ),
                download=download,
            )
        values = self._service_plan_page_values(
            plan_sudo, access_token, message=kw.get("message")
        )
        return request.render(PLAN_PAGE, values)

    @http.route(
        ["/my/service_plans/<int:plan_id>/confirm"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_service_plan_confirm(
        self, plan_id, access_token=None, name=None, signature=None
    ):
        """Confirm the plan with a signature (name and drawn image), as
        portal.signature_form posts it."""
        return self._signed_sign(
            PLAN_MODEL,
            plan_id,
            access_token,
            name,
            signature,
            refused=request.env._("This service plan is not yours to sign."),
            staff_refused=request.env._(
                "Staff do not sign for the customer: record the signed "
                "confirmation in the backend."
            ),
            done_message="confirm_ok",
        )

    @http.route(
        ["/my/service_plans/<int:plan_id>/changes"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_service_plan_changes(self, plan_id, access_token=None, **post):
        """Ask for changes, with the customer's comments (required)."""
        try:
            plan_sudo = self._check_service_plan(plan_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        comments = post.get("comments") or ""
        return self._signed_answer(
            plan_sudo,
            access_token,
            lambda partner: plan_sudo._portal_request_changes(comments, partner),
            lambda error: request.render(
                PLAN_PAGE,
                self._service_plan_page_values(
                    plan_sudo,
                    access_token,
                    changes_error=error,
                    changes_comments=comments,
                ),
                status=400,
            ),
            "changes_ok",
        )
