# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The ticket's link to its customer's agreement in force, hence its service
# level, and the constraint that keeps that link within the customer and
# company.
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        compute="_compute_agreement_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('state', '!=', 'draft'), ('is_template', '=', False)]",
        help="The customer's agreement in force on the day the ticket came in: "
        "its service levels apply.",
    )

    agreement_missing = fields.Boolean(
        string="No Agreement",
        compute="_compute_agreement_missing",
        store=True,
        help="The customer has no agreement in force: the company's default "
        "service levels apply.",
    )

    service_level_id = fields.Many2one(
        comodel_name="agreement.service.level",
        compute="_compute_service_level_id",
        store=True,
        index="btree_not_null",
        help="Targets and owner of the ticket's problem level under its agreement "
        "(or the company's default service levels).",
    )

    @api.depends("commercial_partner_id", "company_id")
    def _compute_agreement_id(self):
        """The commercial partner's agreement covering the ticket's date, for
        the whole batch in one search. An agreement that ended (expired or
        terminated) still covers the tickets of its term."""
        tickets = self.filtered("commercial_partner_id")
        (self - tickets).agreement_id = False
        if not tickets:
            return
        dates = [
            (ticket.create_date or fields.Datetime.now()).date() for ticket in tickets
        ]
        agreements = (
            self.env["agreement"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", tickets.commercial_partner_id.ids),
                    ("state", "in", ("active", "expired", "terminated")),
                    ("is_template", "=", False),
                    # a supplement amends its parent, the ticket obeys the parent
                    ("parent_agreement_id", "=", False),
                    ("start_date", "<=", max(dates)),
                    ("end_date", ">=", min(dates)),
                ],
                order="start_date desc, id desc",
            )
        )
        by_partner = agreements.grouped("commercial_partner_id")
        for ticket, date in zip(tickets, dates, strict=True):
            candidates = by_partner.get(
                ticket.commercial_partner_id, agreements.browse()
            )
            ticket.agreement_id = next(
                (
                    agreement.id
                    for agreement in candidates
                    if agreement.start_date <= date <= agreement.end_date
                    and agreement.company_id
                    in (ticket.company_id, self.env["res.company"])
                ),
                False,
            )

    @api.depends("agreement_id")
    def _compute_agreement_missing(self):
        for ticket in self:
            ticket.agreement_missing = not ticket.agreement_id

    @api.depends(
        "agreement_id.service_level_ids.level",
        "company_id.default_service_agreement_id.service_level_ids.level",
        "problem_level",
    )
    def _compute_service_level_id(self):
        for ticket in self:
            source = (
                ticket.agreement_id or ticket.company_id.default_service_agreement_id
            )
            ticket.service_level_id = source.service_level_ids.filtered(
                lambda line, t=ticket: line.level == t.problem_level
            )[:1]

    @api.constrains("agreement_id", "partner_id", "company_id")
    def _check_agreement_id(self):
        """A ticket follows a signed agreement of its own customer and company
        (what the field's domain offers in the form, enforced for RPC too).
        Read as superuser: the check concerns the agreement's data, whoever
        may read it."""
        for ticket in self.sudo().filtered("agreement_id"):
            agreement = ticket.agreement_id
            if (
                agreement.is_template
                or agreement.state == "draft"
                or agreement.parent_agreement_id
                or agreement.commercial_partner_id != ticket.commercial_partner_id
                or agreement.company_id
                not in (ticket.company_id, ticket.env["res.company"])
            ):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s can only follow a signed service "
                        "agreement of its own customer and company (not a "
                        "template, a draft or a supplement).",
                        ticket=ticket.display_name,
                    )
                )

    @api.model
    def _relink_agreements(self, partners):
        """After agreements of ``partners`` changed state, link again their open
        tickets that lack an agreement or hang on one no longer in force."""
        if not partners:
            return
        tickets = self.sudo().search(
            [
                ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                ("stage_id.closed", "=", False),
                "|",
                ("agreement_id", "=", False),
                ("agreement_id.state", "in", ("draft", "terminated")),
            ]
        )
        tickets._compute_agreement_id()
