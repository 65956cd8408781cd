# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The acceptance form (服务验收单) with its deliverables list: fields, checks,
# the lock of a sent or final form, numbering. Sending it to the customer, the
# customer's answer (signature, rectification and the next round) and the
# signed paper form are in helpdesk_service_acceptance_answer.py. A little
# over 400 lines: the fields and the lock that guards them go together.

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .helpdesk_service_signed_mixin import SIGNED_SYSTEM_FIELDS
from .system_fields import check_system_fields, is_system_write

# per-company numbering (data/ir_sequence_data.xml)
ACCEPTANCE_SEQUENCE = "helpdesk.service.acceptance"
# the customer answered: the form is final, a correction is a new round
FINAL_STATES = ("accepted", "rectify")
# waiting for the customer or still prepared: a ticket is in one such form
OPEN_STATES = ("draft", "sent")
# moved only by the actions that check (send, the customer's answer, the
# paper form, the next round): see system_fields.py
ACCEPTANCE_SYSTEM_FIELDS = SIGNED_SYSTEM_FIELDS | frozenset(
    {"name", "round", "previous_id", "next_id", "answer_date"}
)
# what Odoo itself writes on any form, final ones included: the chatter's main
# attachment and the token of the links sent to the customer
BOOKKEEPING_FIELDS = frozenset({"message_main_attachment_id", "access_token"})
# what staff may still change on a form the customer is reading
SENT_WRITABLE_FIELDS = frozenset({"user_id", "internal_note"})


def linked_ids(commands):
    """The ids an x2many value links (``Command.set`` and ``Command.link``,
    what the web client and RPC callers send)."""
    ids = set()
    for command in commands or ():
        if isinstance(command, (list, tuple)):
            if command[0] == Command.SET:
                ids.update(command[2] or ())
            elif command[0] == Command.LINK:
                ids.add(command[1])
    return ids


class HelpdeskServiceAcceptance(models.Model):
    """The acceptance form (服务验收单): the deliverables of one or more
    tickets of one customer, each checked by the customer against its
    acceptance standard. The customer signs it (accepted, 合格) or asks for
    rectification (需整改), which opens the next round; either answer is
    final."""

    _name = "helpdesk.service.acceptance"
    _description = "Service Acceptance Form"
    _inherit = ["helpdesk.service.signed.mixin", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        lambda env, diag: env._("An acceptance form number is unique per company."),
    )
    _round_positive = models.Constraint(
        "CHECK(round >= 1)",
        lambda env, diag: env._("Acceptance rounds are numbered from 1."),
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
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("accepted", "Passed"),
            ("rectify", "Needs Rectification"),
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
        relation="helpdesk_service_acceptance_ticket_rel",
        column1="acceptance_id",
        column2="ticket_id",
        string="Tickets",
        check_company=True,
        domain="[('commercial_partner_id', '=?', partner_id)]",
        help="The tickets whose deliverables the customer accepts: several "
        "tickets of one customer may share one form.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        compute="_compute_from_tickets",
        store=True,
        precompute=True,
        index=True,
        help="The customer company of the tickets (Party A).",
    )
    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        compute="_compute_from_tickets",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        compute="_compute_from_tickets",
        store=True,
        precompute=True,
        required=True,
        index=True,
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
        help="Gets the e-mail with the link and signs the form.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="Prepares the form and reworks the deliverables when the customer "
        "asks for rectification.",
    )
    round = fields.Integer(
        default=1,
        required=True,
        readonly=True,
        copy=False,
        help="1 for the first check; each request for rectification opens the "
        "next round.",
    )
    previous_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance",
        string="Previous Round",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    next_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance",
        string="Next Round",
        readonly=True,
        copy=False,
        check_company=True,
    )
    line_ids = fields.One2many(
        comodel_name="helpdesk.service.acceptance.line",
        inverse_name="acceptance_id",
        string="Deliverables",
        copy=True,
    )
    internal_note = fields.Html(
        string="Internal Notes",
        groups="base.group_user",
        help="For the team only: never shown to the customer.",
    )

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for acceptance in self:
            acceptance.ticket_count = len(acceptance.ticket_ids)

    @api.depends("ticket_ids")
    def _compute_from_tickets(self):
        """Customer, agreement and company come from the tickets (one customer:
        see _check_ticket_ids); only the tickets of a draft change."""
        for acceptance in self:
            tickets = acceptance.ticket_ids
            acceptance.partner_id = tickets.commercial_partner_id[:1]
            acceptance.agreement_id = tickets.agreement_id[:1]
            acceptance.company_id = (
                tickets.company_id[:1] or acceptance.company_id or self.env.company
            )

    @api.depends("ticket_ids")
    def _compute_contact_id(self):
        """The person who raised the tickets, the first with an e-mail
        address; a contact chosen by hand stays while it is the customer's."""
        for acceptance in self:
            customer = acceptance.ticket_ids.commercial_partner_id[:1]
            contact = acceptance.contact_id
            if not (contact and contact.commercial_partner_id == customer):
                contacts = acceptance.ticket_ids.partner_id
                contact = contacts.filtered("email")[:1] or contacts[:1]
            acceptance.contact_id = contact

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for acceptance in self:
            acceptance.access_url = f"/my/acceptances/{acceptance.id}"
        return result

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("ticket_ids", "contact_id", "state")
    def _check_ticket_ids(self):
        """At least one ticket, all of one customer; the contact is the
        customer's; a ticket is in one form at a time until the customer
        answers. Read as superuser: the check concerns the data."""
        for acceptance in self.sudo():
            tickets = acceptance.ticket_ids
            if not tickets:
                raise ValidationError(
                    self.env._("An acceptance form covers at least one ticket.")
                )
            if len(tickets.commercial_partner_id) != 1:
                raise ValidationError(
                    self.env._(
                        "An acceptance form covers the tickets of one customer: "
                        "%(customers)s are several.",
                        customers=", ".join(
                            tickets.commercial_partner_id.mapped("display_name")
                        ),
                    )
                )
            contact = acceptance.contact_id
            if contact and contact.commercial_partner_id != acceptance.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: the form "
                        "goes to the customer's own people.",
                        contact=contact.display_name,
                        customer=acceptance.partner_id.display_name,
                    )
                )
        open_forms = self.sudo().filtered(lambda a: a.state in OPEN_STATES)
        if not open_forms:
            return
        others = self.sudo().search(
            Domain("id", "not in", open_forms.ids)
            & Domain("state", "in", OPEN_STATES)
            & Domain("ticket_ids", "in", open_forms.ticket_ids.ids)
        )
        seen = {}
        for acceptance in others + open_forms:
            for ticket in acceptance.ticket_ids:
                other = seen.setdefault(ticket, acceptance)
                if other != acceptance:
                    raise ValidationError(
                        self.env._(
                            "Ticket %(ticket)s is already in the acceptance form "
                            "%(form)s, which the customer has not answered yet.",
                            ticket=ticket.display_name,
                            form=other.display_name,
                        )
                    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        check_system_fields(
            self,
            vals_list,
            ACCEPTANCE_SYSTEM_FIELDS,
            defaults={"state": "draft", "round": 1, "name": self.env._("New")},
        )
        self._check_ticket_access(vals_list)
        self._assign_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], ACCEPTANCE_SYSTEM_FIELDS)
        # who may not write at all hears it first
        self.check_access("write")
        self._check_editable(vals)
        self._check_ticket_access([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent_or_final(self):
        if any(acceptance.state != "draft" for acceptance in self):
            raise UserError(
                self.env._(
                    "Only a draft acceptance form can be deleted: a form the "
                    "customer received or answered is kept for the archive."
                )
            )

    def _check_editable(self, fnames):
        """Refuse changes to a form the customer answered (for everyone, the
        superuser included: a correction is a new round) and to a sent form,
        but for its responsible and internal notes (what the customer reads
        is what they sign). Odoo's bookkeeping and the system's own writes
        pass."""
        changed = {
            fname
            for fname in fnames
            if fname not in BOOKKEEPING_FIELDS and not is_system_write(fname)
        }
        if not changed:
            return
        final = self.filtered(lambda a: a.state in FINAL_STATES)
        if final:
            raise UserError(
                self.env._(
                    "%(forms)s is final: the customer answered it. Nobody changes "
                    "or deletes it; a correction is made in a new round.",
                    forms=", ".join(final.mapped("display_name")),
                )
            )
        sent = self.filtered(lambda a: a.state == "sent")
        if sent and changed - SENT_WRITABLE_FIELDS:
            raise UserError(
                self.env._(
                    "%(forms)s was sent to the customer: set it back to draft to "
                    "change it.",
                    forms=", ".join(sent.mapped("display_name")),
                )
            )

    def _evidence_final_domain(self):
        # the customer answered: the form, its signature, scan and signed copy
        return Domain("state", "in", FINAL_STATES)

    def _check_ticket_access(self, vals_list):
        """A user puts in a form only tickets they may read (the form shows
        their customer, subject and description)."""
        if self.env.su:
            return
        ticket_ids = set()
        for vals in vals_list:
            ticket_ids |= linked_ids(vals.get("ticket_ids"))
        if ticket_ids:
            self.env["helpdesk.ticket"].browse(ticket_ids).check_access("read")

    def _assign_numbers(self, vals_list):
        """Number the new forms from the sequence of their company (the
        tickets' company): YS2026-0001."""
        new = self.env._("New")
        for vals in vals_list:
            if vals.get("name") and vals["name"] != new:
                continue
            company = self.env["res.company"].browse(vals.get("company_id"))
            if not company and vals.get("ticket_ids"):
                company = (
                    self.new({"ticket_ids": vals["ticket_ids"]})
                    .ticket_ids[:1]
                    .company_id
                )
            company = company or self.env.company
            vals["name"] = self._get_number_sequence(company).next_by_id()

    @api.model
    def _get_number_sequence(self, company):
        return company._get_service_sequence(
            ACCEPTANCE_SEQUENCE,
            "helpdesk_service_agreement.ir_sequence_service_acceptance",
            {
                "name": self.env._(
                    "Service Acceptance Forms (%(company)s)", company=company.name
                ),
                "prefix": "YS%(year)s-",
                "padding": 4,
            },
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _get_form_action(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_acceptance_action"
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

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _get_previous_rounds(self):
        """The earlier rounds of this form, the first one first."""
        self.ensure_one()
        rounds = self.browse()
        previous = self.previous_id
        while previous and previous not in rounds:
            rounds = previous + rounds
            previous = previous.previous_id
        return rounds

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Acceptance Form %(number)s", number=self.name)
