# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .agreement_service_level import DEFAULT_SERVICE_LEVELS

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
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
]


class Agreement(models.Model):
    """The service agreement (客户服务协议) between the customer (Party A) and
    the provider (Party B): the source of truth the customer's tickets obey."""

    _name = "agreement"
    _inherit = ["agreement", "portal.mixin"]
    _check_company_auto = True

    _dates_ordered = models.Constraint(
        "CHECK(start_date IS NULL OR end_date IS NULL OR start_date <= end_date)",
        lambda env, diag: env._("An agreement cannot end before it starts."),
    )
    _fee_positive = models.Constraint(
        "CHECK(fee_amount IS NULL OR fee_amount >= 0)",
        lambda env, diag: env._("The service fee cannot be negative."),
    )
    _notice_positive = models.Constraint(
        "CHECK(renewal_notice_days >= 0)",
        lambda env, diag: env._("The renewal notice cannot be negative."),
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
    # --- renewal (续约)
    renewal_notice_days = fields.Integer(
        string="Renewal Notice (days)",
        default=30,
        help="Days before the end at which the renewal is prepared.",
    )
    is_expiring = fields.Boolean(
        string="Expiring",
        compute="_compute_is_expiring",
        search="_search_is_expiring",
        help="Active and inside its renewal notice window.",
    )
    renewal_notice_date = fields.Date(
        copy=False,
        readonly=True,
        help="Day the renewal notice was given (to-do and e-mail), once.",
    )
    predecessor_id = fields.Many2one(
        comodel_name="agreement", string="Renewal of", copy=False, readonly=True
    )
    successor_id = fields.Many2one(
        comodel_name="agreement", string="Renewed by", copy=False, readonly=True
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

    @api.depends("state", "end_date", "renewal_notice_days")
    @api.depends_context("date")
    def _compute_is_expiring(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.is_expiring = bool(
                agreement.state == "active"
                and agreement.end_date
                and agreement.end_date
                - relativedelta(days=agreement.renewal_notice_days)
                <= today
            )

    def _search_is_expiring(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)

        def in_window_sql(model, alias, query):
            # the window is per agreement: end date minus its own notice days
            return SQL(
                "(%(state)s = 'active' AND %(template)s IS NOT TRUE"
                " AND %(end)s IS NOT NULL"
                " AND %(end)s - COALESCE(%(notice)s, 0) <= %(today)s)",
                state=model._field_to_sql(alias, "state", query),
                template=model._field_to_sql(alias, "is_template", query),
                end=model._field_to_sql(alias, "end_date", query),
                notice=model._field_to_sql(alias, "renewal_notice_days", query),
                today=today,
            )

        in_window = Domain.custom(
            to_sql=in_window_sql, predicate=lambda agreement: agreement.is_expiring
        )
        positive = (operator == "in") == (True in value)
        return in_window if positive else ~in_window

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.ticket_count = counts.get(agreement, 0)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for agreement in self:
            agreement.access_url = f"/my/agreements/{agreement.id}"
        return result

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

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.update(self.template_id._get_template_values())

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
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
        agreements = super().create(vals_list)
        agreements.filtered(
            lambda a: not a.is_template
        ).partner_id._assign_customer_code()
        return agreements

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        for agreement, vals in zip(self, vals_list, strict=True):
            if "code" not in default:
                vals["code"] = self.env._("%(code)s (copy)", code=agreement.code)
        return vals_list

    def copy(self, default=None):
        # OCA's copy() reads self.code: let it see one record at a time
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
        self.write({"state": "draft"})
        self.env["helpdesk.ticket"]._relink_agreements(self.commercial_partner_id)
        return True

    def action_open_renewal_wizard(self):
        self.ensure_one()
        self._check_renewable()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.agreement_renewal_wizard_action"
        )
        action["context"] = {"default_agreement_id": self.id}
        return action

    def action_open_termination_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.agreement_termination_wizard_action"
        )
        action["context"] = {"default_agreement_id": self.id}
        return action

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

    def _get_report_base_filename(self):
        """Name of the printed contract downloaded from the portal."""
        self.ensure_one()
        return f"{self.code} {self.name}"

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
        return missing

    def _get_template_values(self):
        """Terms and service levels a template passes on."""
        self.ensure_one()
        template = self.sudo()
        values = {}
        for fname in TEMPLATE_TERMS:
            field = self._fields[fname]
            value = template[fname]
            if field.type == "many2one":
                # a shared template leaves the company's own calendar in place
                if value:
                    values[fname] = value.id
            else:
                values[fname] = value
        values["service_level_ids"] = [Command.clear()] + [
            Command.create(level._template_values())
            for level in template.service_level_ids
        ]
        return values

    def _check_renewable(self):
        for agreement in self:
            if agreement.state not in ("active", "expired"):
                raise UserError(
                    self.env._(
                        "Only an active or expired agreement can be renewed "
                        "(%(agreement)s is %(state)s).",
                        agreement=agreement.display_name,
                        state=agreement._state_label(),
                    )
                )
            if agreement.successor_id:
                raise UserError(
                    self.env._(
                        "%(agreement)s was already renewed by %(successor)s.",
                        agreement=agreement.display_name,
                        successor=agreement.successor_id.display_name,
                    )
                )

    def _renew(self, start_date, end_date):
        """Create the successors: new dates, same terms and levels, linked
        both ways. They start as drafts, to be signed and activated."""
        self._check_renewable()
        successors = self.browse()
        for agreement in self:
            if end_date < start_date:
                raise ValidationError(
                    self.env._("An agreement cannot end before it starts.")
                )
            successor = agreement.sudo().copy(
                {
                    "code": self.env._("%(code)s-R", code=agreement.code),
                    "start_date": start_date,
                    "end_date": end_date,
                    "signature_date": False,
                    "predecessor_id": agreement.id,
                }
            )
            agreement.sudo().successor_id = successor
            agreement.message_post(
                body=self.env._(
                    "Renewed by %(successor)s.", successor=successor.display_name
                )
            )
            successors |= successor
        return successors.sudo(False)

    def _terminate(self, date, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the termination."))
        for agreement in self:
            if agreement.state != "active":
                raise UserError(
                    self.env._(
                        "Only an active agreement can be terminated (%(agreement)s "
                        "is %(state)s).",
                        agreement=agreement.display_name,
                        state=agreement._state_label(),
                    )
                )
            if agreement.start_date and date < agreement.start_date:
                raise ValidationError(
                    self.env._("An agreement cannot be terminated before it starts.")
                )
        self.write(
            {
                "state": "terminated",
                "termination_date": date,
                "termination_reason": reason.strip(),
                "end_date": date,
            }
        )
        self.env["helpdesk.ticket"]._relink_agreements(self.commercial_partner_id)
        return True

    @api.model
    def _default_service_level_commands(self):
        return [Command.create(dict(values)) for values in DEFAULT_SERVICE_LEVELS]

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_agreement_renewal(self, batch_size=200):
        """Daily: give the renewal notice once to the agreements entering
        their notice window (to-do for the responsible, e-mail to the
        customer) and expire the agreements past their end. Batched and
        idempotent: what is done is marked, what is marked is not redone."""
        today = fields.Date.context_today(self)
        Cron = self.env["ir.cron"]
        expire_domain = Domain(
            [
                ("state", "=", "active"),
                ("is_template", "=", False),
                ("end_date", "<", today),
            ]
        )
        while True:
            # rows another worker holds are left for the next run
            agreements = self.search(
                expire_domain, limit=batch_size
            ).try_lock_for_update()
            if not agreements:
                break
            agreements.write({"state": "expired"})
            for agreement in agreements:
                agreement.message_post(body=self.env._("The agreement has expired."))
            self.env["helpdesk.ticket"]._relink_agreements(
                agreements.commercial_partner_id
            )
            remaining = self.search_count(expire_domain)
            if not Cron._commit_progress(len(agreements), remaining=remaining):
                return
        # an agreement already renewed needs no notice
        notice_domain = Domain(
            [
                ("is_expiring", "=", True),
                ("renewal_notice_date", "=", False),
                ("successor_id", "=", False),
            ]
        )
        while True:
            agreements = self.search(
                notice_domain, limit=batch_size
            ).try_lock_for_update()
            if not agreements:
                break
            for agreement in agreements:
                agreement._send_renewal_notice()
            agreements.write({"renewal_notice_date": today})
            remaining = self.search_count(notice_domain)
            if not Cron._commit_progress(len(agreements), remaining=remaining):
                return

    def _send_renewal_notice(self):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.end_date
            - relativedelta(days=self.renewal_notice_days // 2),
            summary=self.env._(
                "Prepare the renewal of %(agreement)s", agreement=self.display_name
            ),
            user_id=(self.user_id or self.env.user).id,
        )
        template = self.env.ref(
            "helpdesk_service_agreement.mail_template_agreement_renewal",
            raise_if_not_found=False,
        )
        if template and self.partner_id.email:
            self.message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", message_type="comment"
            )
