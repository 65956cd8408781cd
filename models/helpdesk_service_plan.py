# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The service plan (服务方案): fields, checks, numbering, the review by the
# customer service manager and the lock of a plan under review or confirmed.
# Sending it, the customer's confirmation (服务方案确认书) or request for
# changes, the signed paper confirmation and the next revision are in
# helpdesk_service_plan_answer.py.

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_list, is_html_empty

from .helpdesk_service_acceptance import linked_ids
from .helpdesk_service_signed_mixin import SIGNED_SYSTEM_FIELDS
from .system_fields import check_system_fields, is_system_write, system_write

# per-company numbering (data/ir_sequence_data.xml)
PLAN_SEQUENCE = "helpdesk.service.plan"
MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
# the customer confirmed it or a later revision replaced it: nobody changes it
FROZEN_STATES = ("confirmed", "cancelled")
# what the customer sees on the portal
PORTAL_STATES = ("sent", "confirmed", "changes_requested")
# a plan that is still worked on, reviewed or waiting for the customer
OPEN_STATES = ("draft", "review", "approved", "sent", "changes_requested")
# moved only by the actions that check (submit, approve, send, the customer's
# answer, the paper confirmation, the next revision): see system_fields.py
PLAN_SYSTEM_FIELDS = SIGNED_SYSTEM_FIELDS | frozenset(
    {
        "name",
        "revision",
        "previous_id",
        "next_id",
        "approver_id",
        "approval_date",
        "confirm_date",
        "change_request",
    }
)
# what Odoo itself writes on any plan, frozen ones included
BOOKKEEPING_FIELDS = frozenset({"message_main_attachment_id", "access_token"})
# what staff may still change on a plan being reviewed or with the customer
LOCKED_WRITABLE_FIELDS = frozenset({"user_id", "review_remark", "internal_note"})


class HelpdeskServicePlan(models.Model):
    """The service plan (服务方案) written for a request that needs more than
    an answer: goals, content, milestones, deliverables with their acceptance
    standards, fees and each party's duties. A manager reviews it; the
    customer confirms it (服务方案确认书) or asks for changes. A confirmed
    plan is frozen: a change is a new revision."""

    _name = "helpdesk.service.plan"
    _description = "Service Plan"
    _inherit = ["helpdesk.service.signed.mixin", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _name_revision_uniq = models.UniqueIndex(
        "(company_id, name, revision)",
        lambda env, diag: env._(
            "A service plan number and revision are unique per company."
        ),
    )
    _revision_positive = models.Constraint(
        "CHECK(revision >= 1)",
        lambda env, diag: env._("Service plan revisions are numbered from 1."),
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_start IS NULL OR date_end IS NULL OR date_start <= date_end)",
        lambda env, diag: env._("A service plan ends on or after its start."),
    )
    _fee_positive = models.Constraint(
        "CHECK(fee_amount IS NULL OR fee_amount >= 0)",
        lambda env, diag: env._("The service fee cannot be negative."),
    )
    _state_idx = models.Index("(partner_id, state)")

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    title = fields.Char(required=True, tracking=True)
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("review", "In Review"),
            ("approved", "Approved"),
            ("sent", "Sent"),
            ("confirmed", "Confirmed"),
            ("changes_requested", "Changes Requested"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="helpdesk_service_plan_ticket_rel",
        column1="plan_id",
        column2="ticket_id",
        string="Tickets",
        check_company=True,
        domain="[('commercial_partner_id', '=?', partner_id)]",
        help="The customer's requests the plan answers.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
        help="The customer company (Party A).",
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer Contact",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        tracking=True,
        help="Gets the e-mail with the link and confirms the plan.",
    )
    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        compute="_compute_agreement_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Author",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="The agent who writes the plan and submits it for review.",
    )
    goals = fields.Html(help="What the service achieves for the customer.")
    content = fields.Html(
        string="Service Content", help="The work, its steps and its method."
    )
    provider_duties = fields.Html(string="Provider's Duties (Party B)")
    customer_duties = fields.Html(string="Customer's Duties (Party A)")
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.company.currency_id,
        required=True,
    )
    # copied by action_new_revision for authors who may not read them
    fee_amount = fields.Monetary(
        string="Service Fee",
        currency_field="currency_id",
        groups=MANAGER_GROUP,
        copy=False,
    )
    payment_terms = fields.Text(groups=MANAGER_GROUP, copy=False)
    report_cadence = fields.Selection(
        selection=[("daily", "Daily"), ("weekly", "Weekly"), ("none", "None")],
        string="Progress Reports",
        default="weekly",
        required=True,
        help="How often the customer receives a progress report.",
    )
    date_start = fields.Date(string="Start Date")
    date_end = fields.Date(string="End Date")
    milestone_ids = fields.One2many(
        comodel_name="helpdesk.service.plan.milestone",
        inverse_name="plan_id",
        string="Milestones",
        copy=True,
    )
    deliverable_ids = fields.One2many(
        comodel_name="helpdesk.service.plan.deliverable",
        inverse_name="plan_id",
        string="Deliverables",
        copy=True,
    )
    revision = fields.Integer(default=1, required=True, readonly=True, copy=False)
    previous_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Replaces Revision",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    next_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Next Revision",
        readonly=True,
        copy=False,
        check_company=True,
    )
    next_state = fields.Selection(
        related="next_id.state", string="Next Revision Status"
    )
    review_remark = fields.Text(
        string="Reviewer's Remark",
        copy=False,
        groups="base.group_user",
        help="The manager's remark: required to send the plan back to its "
        "author. Never shown to the customer.",
    )
    approver_id = fields.Many2one(
        comodel_name="res.users", string="Approved By", readonly=True, copy=False
    )
    approval_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    internal_note = fields.Html(
        string="Internal Notes",
        groups="base.group_user",
        help="For the team only: never shown to the customer.",
    )

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for plan in self:
            plan.ticket_count = len(plan.ticket_ids)

    @api.depends("ticket_ids")
    def _compute_partner_id(self):
        """The customer of the tickets; a customer chosen by hand stays."""
        for plan in self:
            plan.partner_id = (
                plan.ticket_ids.commercial_partner_id[:1] or plan.partner_id
            )

    @api.depends("partner_id", "ticket_ids")
    def _compute_contact_id(self):
        """The person who raised the tickets, the first with an e-mail
        address; a contact chosen by hand stays while it is the customer's."""
        for plan in self:
            contact = plan.contact_id
            if not (contact and contact.commercial_partner_id == plan.partner_id):
                contacts = plan.ticket_ids.partner_id
                contact = contacts.filtered("email")[:1] or contacts[:1]
            plan.contact_id = contact

    @api.depends("partner_id", "ticket_ids")
    def _compute_agreement_id(self):
        for plan in self:
            agreement = plan.agreement_id
            if agreement.partner_id != plan.partner_id:
                agreement = plan.ticket_ids.agreement_id[:1]
            plan.agreement_id = agreement

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for plan in self:
            plan.access_url = f"/my/service_plans/{plan.id}"
        return result

    @api.depends("name", "revision", "title")
    def _compute_display_name(self):
        for plan in self:
            name = plan.name or ""
            if plan.revision > 1:
                name = self.env._(
                    "%(number)s Rev. %(revision)s", number=name, revision=plan.revision
                )
            plan.display_name = f"{name} {plan.title}" if plan.title else name

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("ticket_ids", "partner_id", "contact_id")
    def _check_customer(self):
        """The customer is a company (or a person of its own); its tickets
        and its contact only. Read as superuser: the check concerns the
        data."""
        for plan in self.sudo():
            customer = plan.partner_id
            if customer.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "The customer of a service plan is the company itself: "
                        "%(customer)s.",
                        customer=customer.commercial_partner_id.display_name,
                    )
                )
            others = plan.ticket_ids.filtered(
                lambda ticket, c=customer: ticket.commercial_partner_id != c
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "A service plan covers the tickets of its customer "
                        "%(customer)s only: %(tickets)s are not theirs.",
                        customer=customer.display_name,
                        tickets=", ".join(others.mapped("display_name")),
                    )
                )
            contact = plan.contact_id
            if contact and contact.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: the plan "
                        "is confirmed by the customer's own people.",
                        contact=contact.display_name,
                        customer=customer.display_name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        self.milestone_ids._check_dates()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        check_system_fields(
            self,
            vals_list,
            PLAN_SYSTEM_FIELDS,
            defaults={"state": "draft", "revision": 1, "name": self.env._("New")},
        )
        self._check_ticket_access(vals_list)
        self._assign_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], PLAN_SYSTEM_FIELDS)
        # who may not write at all hears it first
        self.check_access("write")
        self._check_editable(vals)
        self._check_ticket_access([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reviewed(self):
        if any(plan.state != "draft" or plan.previous_id for plan in self):
            raise UserError(
                self.env._(
                    "Only a draft service plan that was never reviewed is "
                    "deleted: a reviewed, sent or confirmed plan is kept."
                )
            )

    def _check_editable(self, fnames):
        """Refuse changes to a confirmed or replaced plan (for everyone, the
        superuser included: a change is a new revision) and to a plan under
        review, approved or with the customer, but for its author, the
        reviewer's remark and internal notes (what the manager approved is
        what the customer confirms). Odoo's bookkeeping and the system's own
        writes pass."""
        changed = {
            fname
            for fname in fnames
            if fname not in BOOKKEEPING_FIELDS and not is_system_write(fname)
        }
        if not changed:
            return
        frozen = self.filtered(lambda plan: plan.state in FROZEN_STATES)
        if frozen:
            raise UserError(
                self.env._(
                    "%(plans)s is frozen: the customer confirmed it or a later "
                    "revision replaced it. Nobody changes or deletes it; create "
                    "a new revision to change the plan.",
                    plans=", ".join(frozen.mapped("display_name")),
                )
            )
        locked = self.filtered(lambda plan: plan.state != "draft")
        if locked and changed - LOCKED_WRITABLE_FIELDS:
            raise UserError(
                self.env._(
                    "%(plans)s is being reviewed or is with the customer: set it "
                    "back to draft to change it.",
                    plans=", ".join(locked.mapped("display_name")),
                )
            )

    def _check_ticket_access(self, vals_list):
        """A user puts in a plan only tickets they may read."""
        if self.env.su:
            return
        ticket_ids = set()
        for vals in vals_list:
            ticket_ids |= linked_ids(vals.get("ticket_ids"))
        if ticket_ids:
            self.env["helpdesk.ticket"].browse(ticket_ids).check_access("read")

    def _assign_numbers(self, vals_list):
        """Number the new plans from the sequence of their company:
        FA2026-0001 (a new revision keeps its plan's number)."""
        new = self.env._("New")
        for vals in vals_list:
            if vals.get("name") and vals["name"] != new:
                continue
            company = self.env["res.company"].browse(vals.get("company_id"))
            company = company or self.env.company
            vals["name"] = self._get_number_sequence(company).next_by_id()

    @api.model
    def _get_number_sequence(self, company):
        return company._get_service_sequence(
            PLAN_SEQUENCE,
            "helpdesk_service_agreement.ir_sequence_service_plan",
            {
                "name": self.env._("Service Plans (%(company)s)", company=company.name),
                "prefix": "FA%(year)s-",
                "padding": 4,
            },
        )

    # ------------------------------------------------------------------
    # Actions: the review
    # ------------------------------------------------------------------

    def _evidence_final_domain(self):
        # confirmed by the customer, also once a revision replaced it
        signed = Domain("signed_on", "!=", False) | Domain("paper_date", "!=", False)
        return Domain("state", "=", "confirmed") | (
            Domain("state", "=", "cancelled") & signed
        )

    def _check_state(self, states, action):
        for plan in self:
            if plan.state not in states:
                raise UserError(
                    self.env._(
                        "%(plan)s is %(state)s: it cannot be %(action)s now.",
                        plan=plan.display_name,
                        state=plan._state_label(),
                        action=action,
                    )
                )

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a customer service manager reviews service plans: an "
                    "author does not approve their own plan."
                )
            )

    def action_submit(self):
        """The author submits the plan for review: it needs every section the
        plan's PDF prints under a heading (goals, content, each side's
        duties) and deliverables, each with its acceptance standard."""
        self.check_access("write")
        self._check_state(("draft",), self.env._("submitted"))
        for plan in self:
            missing = [
                plan._fields[name]._description_string(self.env)
                for name in self._submit_required_sections()
                if is_html_empty(plan[name])
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(plan)s cannot go to review: its PDF prints these "
                        "sections, which are still empty: %(sections)s.",
                        plan=plan.display_name,
                        sections=format_list(self.env, missing),
                    )
                )
            if not plan.deliverable_ids:
                raise UserError(
                    self.env._(
                        "%(plan)s lists no deliverable: the customer confirms "
                        "what will be delivered and checked.",
                        plan=plan.display_name,
                    )
                )
            missing = plan.deliverable_ids.filtered(
                lambda line: not (line.acceptance_standard or "").strip()
            )
            if missing:
                raise UserError(
                    self.env._(
                        "Give the acceptance standard of %(deliverables)s: the "
                        "customer's acceptance checks each deliverable against it.",
                        deliverables=", ".join(missing.mapped("name")),
                    )
                )
        with system_write("state"):
            self.write({"state": "review"})
        return True

    @api.model
    def _submit_required_sections(self):
        """The sections the plan's PDF prints under a heading
        (reports/helpdesk_service_plan_templates.xml): none may be empty."""
        return ("goals", "content", "provider_duties", "customer_duties")

    def action_approve(self):
        """A customer service manager approves the plan; it may be sent."""
        self._check_manager()
        self._check_state(("review",), self.env._("approved"))
        with system_write("state", "approver_id", "approval_date"):
            self.write(
                {
                    "state": "approved",
                    "approver_id": self.env.user.id,
                    "approval_date": fields.Datetime.now(),
                }
            )
        for plan in self.filtered("review_remark"):
            plan._post_review_remark(self.env._("Plan approved."))
        return True

    def action_reject(self):
        """A customer service manager sends the plan back to its author with
        the reviewer's remark, posted in the chatter."""
        self._check_manager()
        self._check_state(("review",), self.env._("sent back"))
        missing = self.filtered(lambda plan: not (plan.review_remark or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Write the reviewer's remark to send %(plans)s back to its "
                    "author: it says what to change.",
                    plans=", ".join(missing.mapped("display_name")),
                )
            )
        with system_write("state"):
            self.write({"state": "draft"})
        for plan in self:
            plan._post_review_remark(self.env._("Plan sent back to its author."))
            if plan.user_id:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=plan.user_id.id,
                    summary=self.env._("Revise the service plan"),
                    note=plan.review_remark,
                )
        return True

    def _post_review_remark(self, headline):
        self.ensure_one()
        self.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (headline, self.env._("Remark: %(remark)s", remark=self.review_remark)),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def action_reset_draft(self):
        """Back to draft: a plan the customer asked to change, or one taken
        back before the customer answered. It is reviewed again."""
        self.check_access("write")
        self._check_state(
            ("review", "approved", "sent", "changes_requested"),
            self.env._("set back to draft"),
        )
        with system_write("state", "approver_id", "approval_date"):
            self.write({"state": "draft", "approver_id": False, "approval_date": False})
        return True

    def action_cancel(self):
        """Cancel a plan that was not confirmed (a confirmed plan stays: a
        change is a new revision)."""
        self.check_access("write")
        self._check_state(OPEN_STATES, self.env._("cancelled"))
        with system_write("state"):
            self.write({"state": "cancelled"})
        return True

    def _get_form_action(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_plan_action"
        )
        action.update({"res_id": self.id, "views": [(False, "form")]})
        return action

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("id", "in", self.ticket_ids.ids)]
        action["context"] = {"create": False}
        return action

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Service Plan %(number)s", number=self.display_name)
