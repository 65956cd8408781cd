# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The customer's monthly SLA statements (服务水平报告) on the portal: the sent
# statements of their company, the service credit they are owed, the PDF.
# Read only: nothing changes over these GET routes.
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

STATEMENT = "helpdesk.service.sla.statement"
STATEMENT_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_sla_statement"
)


class SlaStatementCustomerPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "sla_statement_count" in counters:
            Statement = request.env[STATEMENT]
            values["sla_statement_count"] = (
                Statement.search_count(self._sla_statements_domain())
                if Statement.has_access("read")
                else 0
            )
        return values

    def _sla_statements_domain(self):
        """The current statements sent to the user's company (the record
        rule says the same for portal users)."""
        partner = request.env.user.partner_id.commercial_partner_id
        return (
            Domain("partner_id", "=", partner.id)
            & Domain("state", "=", "sent")
            & Domain("superseded", "=", False)
        )

    @http.route(
        ["/my/sla-statements", "/my/sla-statements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_sla_statements(self, page=1, **kwargs):
        Statement = request.env[STATEMENT]
        if not Statement.has_access("read"):
            return request.redirect("/my")
        domain = self._sla_statements_domain()
        values = self._prepare_portal_layout_values()
        pager_values = portal_pager(
            url="/my/sla-statements",
            total=Statement.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        statements = Statement.search(
            domain, limit=self._items_per_page, offset=pager_values["offset"]
        )
        values.update(
            {
                "statements": statements,
                "page_name": "sla_statement",
                "pager": pager_values,
                "default_url": "/my/sla-statements",
            }
        )
        return request.render(
            "helpdesk_service_agreement.portal_my_sla_statements", values
        )

    @http.route(
        ["/my/sla-statements/<int:statement_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_sla_statement_page(
        self, statement_id, report_type=None, access_token=None, download=False, **kw
    ):
        try:
            statement_sudo = self._document_check_access(
                STATEMENT, statement_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        # a statement is the customer's once sent, never before
        if statement_sudo.state != "sent":
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=statement_sudo,
                report_type=report_type,
                report_ref=STATEMENT_REPORT,
                download=download,
            )
        query = f"&access_token={access_token}" if access_token else ""
        values = self._get_page_view_values(
            statement_sudo,
            access_token,
            {
                # checked above: the credit is the customer's to read
                "doc": statement_sudo,
                "statement": statement_sudo,
                "show_credit": True,
                "page_name": "sla_statement",
                "download_url": f"{statement_sudo.access_url}?report_type=pdf"
                f"&download=true{query}",
            },
            "my_sla_statements_history",
            False,
        )
        return request.render(
            "helpdesk_service_agreement.portal_sla_statement_page", values
        )
