# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .system_fields import check_system_fields

CUSTOMER_CODE_SEQUENCE = "res.partner.customer.code"
# C2026-00001, as the demo and the addon's other numbers (SA2026-0001); the
# first versions numbered C202600001
CUSTOMER_CODE_PREFIX = "C%(year)s-"
LEGACY_CUSTOMER_CODE_PREFIX = "C%(year)s"
CODE = re.compile(r"C\d{4}-\d+")
LEGACY_CODE = re.compile(r"C\d{9,}")


class ResPartner(models.Model):
    _inherit = "res.partner"

    _customer_code_company_uniq = models.UniqueIndex(
        "(customer_code_company_id, customer_code) WHERE customer_code IS NOT NULL",
        lambda env, diag: env._(
            "This customer number is already used by another customer of the "
            "same company."
        ),
    )

    customer_code = fields.Char(
        string="Customer Number",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Number under which the service archive files every document of "
        "this customer. Given from the company's sequence when the customer "
        "gets a first ticket or agreement; only service managers may change it.",
    )
    customer_code_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Customer Number Company",
        copy=False,
        readonly=True,
        help="Company whose sequence issued the customer number; the number is "
        "unique within it.",
    )
    commercial_customer_code = fields.Char(
        string="Company Customer Number",
        related="commercial_partner_id.customer_code",
        help="Customer number of the company this contact belongs to.",
    )
    customer_tier = fields.Selection(
        selection=[
            ("large", "Large Customer"),
            ("medium", "Medium Customer"),
            ("small", "Small Customer"),
        ],
        help="Size of the customer, used by service level defaults and reports.",
    )
    can_edit_customer_code = fields.Boolean(compute="_compute_can_edit_customer_code")
    service_ticket_count = fields.Integer(
        string="Service Tickets", compute="_compute_service_ticket_count"
    )
    service_agreement_count = fields.Integer(
        string="Service Agreements", compute="_compute_service_agreement_count"
    )

    @api.depends_context("uid")
    def _compute_can_edit_customer_code(self):
        can_edit = self.env.user.has_group(
            "helpdesk_service_agreement.group_service_manager"
        )
        for partner in self:
            partner.can_edit_customer_code = can_edit

    def _compute_service_ticket_count(self):
        counts = {}
        if self.commercial_partner_id.ids:
            counts = dict(
                self.env["helpdesk.ticket"]._read_group(
                    [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                    ["commercial_partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.service_ticket_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_service_agreement_count(self):
        counts = {}
        if self.commercial_partner_id.ids:
            counts = dict(
                self.env["agreement"]._read_group(
                    [
                        ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                        ("is_template", "=", False),
                    ],
                    ["commercial_partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.service_agreement_count = counts.get(
                partner.commercial_partner_id, 0
            )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["customer_tier"]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _check_customer_code_right(self, vals_list):
        """Customer numbers are given by the sequence; setting or changing one
        by hand is for service managers (creating with an empty one is fine)."""
        touched = any(
            "customer_code" in vals and (self or vals["customer_code"])
            for vals in vals_list
        )
        if not touched or self.env.su:
            return
        if not self.env.user.has_group(
            "helpdesk_service_agreement.group_service_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only customer service managers may change a customer number."
                )
            )

    def _prepare_customer_code_vals(self, vals):
        if "customer_code" not in vals:
            return vals
        vals = dict(vals, customer_code=(vals["customer_code"] or "").strip() or False)
        if vals["customer_code"] and not vals.get("customer_code_company_id"):
            company_id = vals.get("company_id") or (
                self.company_id.id if len(self) == 1 else False
            )
            vals["customer_code_company_id"] = company_id or self.env.company.id
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        # the company of a number is the one whose sequence or manager gave it
        check_system_fields(self, vals_list, {"customer_code_company_id"})
        self._check_customer_code_right(vals_list)
        vals_list = [self._prepare_customer_code_vals(vals) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], {"customer_code_company_id"})
        self._check_customer_code_right([vals])
        if "customer_code" in vals:
            for partner in self:
                super(ResPartner, partner).write(
                    partner._prepare_customer_code_vals(vals)
                )
            return True
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_assign_customer_code(self):
        """Give a customer number to the commercial partners that have none
        (service staff: an employee without a service role may not)."""
        if not self.env.su and not self.env.user.has_group(
            "helpdesk_service_agreement.group_service_agent"
        ):
            raise AccessError(
                self.env._("Only service staff may give customer numbers.")
            )
        self._assign_customer_code()
        return True

    def action_view_service_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_service_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "agreement.agreement_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("is_template", "=", False),
        ]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _get_customer_code_sequence(self, company):
        """The company's own customer number sequence, created from the
        shipped template the first time the company numbers a customer."""
        return company._get_service_sequence(
            CUSTOMER_CODE_SEQUENCE,
            "helpdesk_service_agreement.ir_sequence_customer_code",
            {
                "name": self.env._(
                    "Customer Number (%(company)s)", company=company.name
                ),
                "prefix": CUSTOMER_CODE_PREFIX,
                "padding": 5,
            },
        )

    @api.model
    def _customer_code_align_sequences(self):
        """One customer number format per company (upgrade): the sequences
        still numbering C202600001 switch to C2026-00001, unless their
        company only holds numbers of the old format, which it keeps. Numbers
        already given never change: they are printed on the documents.
        Returns the sequences switched."""
        Sequence = self.env["ir.sequence"].sudo().with_context(active_test=False)
        sequences = Sequence.search(
            [
                ("code", "=", CUSTOMER_CODE_SEQUENCE),
                ("prefix", "=", LEGACY_CUSTOMER_CODE_PREFIX),
            ]
        )
        Partner = self.sudo().with_context(active_test=False)
        to_switch = Sequence
        for sequence in sequences:
            company = sequence.company_id
            if company:
                codes = Partner.search(
                    [
                        ("customer_code_company_id", "=", company.id),
                        ("customer_code", "!=", False),
                    ]
                ).mapped("customer_code")
                legacy = [code for code in codes if LEGACY_CODE.fullmatch(code)]
                if legacy and not any(CODE.fullmatch(code) for code in codes):
                    continue  # the company's numbers keep their one format
            to_switch |= sequence
        to_switch.write({"prefix": CUSTOMER_CODE_PREFIX})
        return to_switch

    def _assign_customer_code(self):
        """Number the commercial partners of ``self`` that have no number yet,
        each from the sequence of its company (the current one for shared
        partners). Returns the partners that were numbered."""
        partners = self.commercial_partner_id.filtered(lambda p: not p.customer_code)
        if not partners:
            return partners
        by_company = partners.grouped(lambda p: p.company_id or self.env.company)
        for company, company_partners in by_company.items():
            sequence = self._get_customer_code_sequence(company)
            for partner in company_partners:
                partner.sudo().write(
                    {
                        "customer_code": self._next_free_customer_code(
                            sequence, company
                        ),
                        "customer_code_company_id": company.id,
                    }
                )
        return partners

    @api.model
    def _next_free_customer_code(self, sequence, company):
        """The sequence's next number that no customer of the company holds
        yet (a manager may have typed one the sequence had not reached)."""
        Partner = self.sudo().with_context(active_test=False)
        for _attempt in range(1000):
            code = sequence.next_by_id()
            if not Partner.search_count(
                [
                    ("customer_code_company_id", "=", company.id),
                    ("customer_code", "=", code),
                ],
                limit=1,
            ):
                return code
        raise UserError(
            self.env._(
                "The customer number sequence of %(company)s only gives numbers "
                "already in use: check its next number.",
                company=company.name,
            )
        )

    def signup_prepare(self, signup_type="signup"):
        """Odoo prepares the customer's sign-up at every notification of a
        portal document (portal's ``_notify_get_recipients_groups``): writing
        the same type again changes nothing but ``write_date``, and made every
        agent's reply to one customer wait on that customer's partner row.
        Only partners whose type changes are written."""
        # sudo: reading the sign-up type (settings group) to skip a no-op write
        to_prepare = self.filtered(lambda p: p.sudo().signup_type != signup_type)
        return super(ResPartner, to_prepare).signup_prepare(signup_type=signup_type)
