# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The agreement's terms and lifecycle (draft, active), its checks and its
# tickets. Numbering is in agreement_numbering.py, templates in
# agreement_template.py, the portal and the printed contract's restricted
# terms in agreement_portal.py, renewal, termination and expiry in
# agreement_renewal.py.
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .system_fields import check_system_fields, system_write

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
# per-company numbering of agreements and templates (data/ir_sequence_data.xml)
AGREEMENT_SEQUENCE = "agreement.service"
TEMPLATE_SEQUENCE = "agreement.service.template"
# lifecycle fields moved only by the actions that check (activate, set to
# draft, renew, terminate, the daily renewal action): see system_fields.py
AGREEMENT_SYSTEM_FIELDS = frozenset(
    {
        "state",
        "predecessor_id",
        "successor_id",
        "renewal_notice_date",
        "termination_date",
        "termination_reason",
    }
)
# terms a template passes on to the agreements made from it
TEMPLATE_TERMS = [
    "scope",
    "service_method",
    "fee_amount",
    "currency_id",
    "payment_terms",
    "confidentiality",
    "breach_liability",
    "force_majeure",
    "dispute_resolution",
    "arbitration_body",
    "court_name",
    "termination_conditions",
    "renewal_notice_days",
    "resource_calendar_id",
    "agreement_type_id",
    "acceptance_required",
    "complaint_response_minutes",
    "complaint_feedback_days",
    "enquiry_response_minutes",
    "plan_proposal_days",
    "feedback_answer_days",
]


class Agreement(models.Model):
    """The service agreement (客户服务协议) between the customer (Party A) and
    the provider (Party B): the source of truth the customer's tickets obey."""

    _name = "agreement"
    _inherit = ["agreement", "portal.mixin"]
    _check_company_auto = True
    _rec_names_search = ["code", "name"]

    _dates_ordered = models.Constraint(
        "CHECK(start_date IS NULL OR end_date IS NULL OR start_date <= end_date)",
        lambda env, diag: env._("An agreement cannot end before it starts."),
    )
    _fee_positive = models.Constraint(
        "CHECK(fee_amount IS NULL OR fee_amount >= 0)",
        lambda env, diag: env._("The service fee cannot be negative."),
    )
    _state_idx = models.Index("(state, end_date) WHERE is_template IS NOT TRUE")

    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
        ],
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="Prepares the renewal: gets the to-do when the notice window opens.",
    )
    template_id = fields.Many2one(
        comodel_name="agreement",
        domain="[('is_template', '=', True), ('id', '!=', id)]",
        copy=False,
        help="Template whose terms and service levels pre-fill this agreement.",
    )
    start_date = fields.Date(default=fields.Date.context_today)
    end_date = fields.Date(
        compute="_compute_end_date",
        store=True,
        readonly=False,
        help="Last day of the agreement; one year after the start by default.",
    )
    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="Calendar (with public holidays and leaves) on which the service "
        "level clocks run.",
    )
    acceptance_required = fields.Boolean(
        default=True,
        tracking=True,
        help="The customer accepts the deliverables of every ticket on a signed "
        "acceptance form: a ticket closes only once its form is accepted.",
    )
    # --- terms (条款)
    scope = fields.Html(string="Service Scope")
    service_method = fields.Html()
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.company.currency_id,
        required=True,
    )
    fee_amount = fields.Monetary(
        string="Service Fee", currency_field="currency_id", groups=MANAGER_GROUP
    )
    payment_terms = fields.Text(groups=MANAGER_GROUP)
    confidentiality = fields.Html(groups=MANAGER_GROUP)
    breach_liability = fields.Html(groups=MANAGER_GROUP)
    force_majeure = fields.Html()
    dispute_resolution = fields.Selection(
        selection=[
            ("negotiation", "Negotiation"),
            ("arbitration", "Arbitration"),
            ("court", "Court"),
        ],
        default="negotiation",
        help="Negotiation first; if it fails, arbitration by the named body or "
        "the court.",
    )
    arbitration_body = fields.Char(string="Arbitration Commission")
    court_name = fields.Char(string="Court")
    termination_conditions = fields.Html()
    termination_date = fields.Date(copy=False, tracking=True)
    termination_reason = fields.Text(copy=False)
    # --- service levels, third parties, supplements
    service_level_ids = fields.One2many(
        comodel_name="agreement.service.level",
        inverse_name="agreement_id",
        string="Service Levels",
        copy=True,
    )
    third_party_ids = fields.One2many(
        comodel_name="agreement.third.party",
        inverse_name="agreement_id",
        string="Third Parties",
        copy=True,
    )
    parent_agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Supplement to",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The agreement this supplementary agreement amends.",
    )
    supplement_ids = fields.One2many(
        comodel_name="agreement",
        inverse_name="parent_agreement_id",
        string="Supplementary Agreements",
    )
    # --- tickets
    ticket_ids = fields.One2many(
        comodel_name="helpdesk.ticket", inverse_name="agreement_id", string="Tickets"
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    provider_partner_id = fields.Many2one(
        related="company_id.partner_id", string="Party B"
    )

    @api.depends("start_date")
    def _compute_end_date(self):
        for agreement in self:
            if agreement.start_date and not agreement.end_date:
                agreement.end_date = agreement.start_date + relativedelta(
                    years=1, days=-1
                )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.ticket_count = counts.get(agreement, 0)

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains(
        "state",
        "start_date",
        "end_date",
        "commercial_partner_id",
        "agreement_type_id",
        "company_id",
        "parent_agreement_id",
    )
    def _check_no_overlap(self):
        """One active agreement per customer, scope (agreement type) and
        company at a time: the tickets must know which one they obey. A
        supplementary agreement amends its parent within its term: no overlap."""
        active = self.filtered(
            lambda a: (
                a.state == "active" and not a.is_template and not a.parent_agreement_id
            )
        )
        for agreement in active:
            domain = Domain(
                [
                    ("id", "!=", agreement.id),
                    ("state", "=", "active"),
                    ("is_template", "=", False),
                    ("parent_agreement_id", "=", False),
                    ("commercial_partner_id", "=", agreement.commercial_partner_id.id),
                    ("company_id", "=", agreement.company_id.id),
                    ("agreement_type_id", "=", agreement.agreement_type_id.id),
                    ("start_date", "<=", agreement.end_date),
                    ("end_date", ">=", agreement.start_date),
                ]
            )
            other = self.sudo().search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s overlaps the active agreement %(other)s of "
                        "%(customer)s for the same scope. End or terminate one first.",
                        agreement=agreement.display_name,
                        other=other.display_name,
                        customer=agreement.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("parent_agreement_id", "partner_id")
    def _check_parent_agreement(self):
        for agreement in self:
            parent = agreement.parent_agreement_id
            if not parent:
                continue
            if parent == agreement or parent.parent_agreement_id:
                raise ValidationError(
                    self.env._(
                        "A supplementary agreement amends a main agreement, not "
                        "itself nor another supplement."
                    )
                )
            if parent.commercial_partner_id != agreement.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A supplementary agreement belongs to the customer of the "
                        "agreement it amends."
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(
            self, vals_list, AGREEMENT_SYSTEM_FIELDS, defaults={"state": "draft"}
        )
        templates = self.browse(
            {vals["template_id"] for vals in vals_list if vals.get("template_id")}
        )
        for vals in vals_list:
            if vals.get("template_id") and not vals.get("service_level_ids"):
                template = templates.filtered(
                    lambda t, v=vals: t.id == v["template_id"]
                )
                for key, value in template._get_template_values().items():
                    vals.setdefault(key, value)
        self._assign_codes(vals_list)
        agreements = super().create(vals_list)
        agreements.filtered(
            lambda a: not a.is_template
        ).partner_id._assign_customer_code()
        return agreements

    def write(self, vals):
        check_system_fields(self, [vals], AGREEMENT_SYSTEM_FIELDS)
        return super().write(vals)

    def copy(self, default=None):
        # a copy is numbered at its creation, unless a code is given: an
        # empty one keeps OCA's copy() from setting "<code> (copy)"; that
        # copy() reads self.code, so it sees one record at a time
        default = dict(default or {}, code=(default or {}).get("code") or False)
        return self.browse().concat(
            *(super(Agreement, agreement).copy(default) for agreement in self)
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_force(self):
        if any(a.state in ("active", "expired", "terminated") for a in self):
            raise UserError(
                self.env._(
                    "An agreement that came into force is kept for the archive: "
                    "terminate or archive it instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_activate(self):
        for agreement in self:
            if agreement.is_template:
                raise UserError(self.env._("A template cannot come into force."))
            if agreement.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft agreement can be activated (%(agreement)s is "
                        "%(state)s).",
                        agreement=agreement.display_name,
                        state=agreement._state_label(),
                    )
                )
            missing = agreement._get_missing_for_activation()
            if missing:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s cannot be activated, it lacks: %(missing)s.",
                        agreement=agreement.display_name,
                        missing=", ".join(missing),
                    )
                )
        with system_write("state"):
            self.write({"state": "active"})
        self.partner_id._assign_customer_code()
        self.env["helpdesk.ticket"]._relink_agreements(self.commercial_partner_id)
        return True

    def action_set_draft(self):
        if any(a.state != "active" or a.ticket_ids for a in self):
            raise UserError(
                self.env._(
                    "Only an active agreement without tickets can go back to draft."
                )
            )
        with system_write("state"):
            self.write({"state": "draft"})
        self.env["helpdesk.ticket"]._relink_agreements(self.commercial_partner_id)
        return True

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _get_missing_for_activation(self):
        self.ensure_one()
        missing = []
        if not self.partner_id:
            missing.append(self.env._("the customer (Party A)"))
        if not self.start_date:
            missing.append(self.env._("a start date"))
        if not self.end_date:
            missing.append(self.env._("an end date"))
        if not self.service_level_ids:
            missing.append(self.env._("at least one service level"))
        if not self.resource_calendar_id:
            missing.append(self.env._("working hours"))
        if not self.signature_date:
            missing.append(self.env._("the signature date"))
        for level in self.service_level_ids:
            if level.owner_type == "emergency_team" and not (
                level.owner_team_id or level.owner_user_ids
            ):
                missing.append(
                    self.env._(
                        "an emergency team or named owners for %(level)s",
                        level=level.display_name,
                    )
                )
        return missing
