# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The meetings of the communication plan (seed 004 §6.1): the kick-off
# (项目启动会议) once the customer confirmed the plan, progress meetings
# (进展会议) and problem meetings (问题沟通会议) from a plan or a ticket. Each
# is a calendar event with attendees from both sides (the invitations go out
# in each attendee's language); its minutes (会议纪要: who was present, the
# agenda, the decisions, the action items) are approved by the organiser,
# final from then on (evidence), sent to the customer's attendees, shown on
# the portal and filed in the archive (helpdesk_service_meeting_archive.py).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain

from .system_fields import check_system_fields, is_system_write, system_write

MEETING_KINDS = [
    ("kickoff", "Kick-off Meeting"),
    ("progress", "Progress Meeting"),
    ("problem", "Problem Meeting"),
]
# moved by the approval and the calendar sync only
MEETING_SYSTEM_FIELDS = frozenset(
    {"state", "event_id", "approved_by_id", "approved_date"}
)
# what mail and portal write on any record, final ones included
_MAIL_FIELDS = frozenset({"message_main_attachment_id", "access_token"})
# what the calendar event follows
_EVENT_FIELDS = frozenset(
    {
        "subject",
        "kind",
        "date_start",
        "duration",
        "location",
        "organizer_id",
        "user_ids",
        "contact_ids",
    }
)


class HelpdeskServiceMeeting(models.Model):
    _name = "helpdesk.service.meeting"
    _description = "Service Meeting"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "helpdesk.service.evidence.mixin",
        "helpdesk.service.numbered.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # numbered from the company's sequence (data/helpdesk_service_meeting_data.xml)
    _number_sequence = (
        "helpdesk.service.meeting",
        "helpdesk_service_agreement.ir_sequence_service_meeting",
        "HY%(year)s-",
        4,
    )

    _origin_required = models.Constraint(
        "CHECK(plan_id IS NOT NULL OR ticket_id IS NOT NULL)",
        lambda env, diag: env._("A meeting is held on a service plan or a ticket."),
    )
    _duration_positive = models.Constraint(
        "CHECK(duration > 0)",
        lambda env, diag: env._("A meeting lasts more than zero hours."),
    )
    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        lambda env, diag: env._("A meeting number is unique per company."),
    )

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    subject = fields.Char(required=True, tracking=True)
    kind = fields.Selection(
        selection=MEETING_KINDS,
        string="Meeting Type",
        required=True,
        default="progress",
        tracking=True,
    )
    plan_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Service Plan",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        required=True,
        index=True,
    )
    organizer_id = fields.Many2one(
        comodel_name="res.users",
        string="Organiser",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="Sends the invitations and approves the minutes.",
    )
    user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="helpdesk_service_meeting_user_rel",
        column1="meeting_id",
        column2="user_id",
        string="Our Attendees",
        compute="_compute_user_ids",
        store=True,
        readonly=False,
        precompute=True,
        domain=[("share", "=", False)],
    )
    contact_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="helpdesk_service_meeting_contact_rel",
        column1="meeting_id",
        column2="partner_id",
        string="Customer Attendees",
        compute="_compute_contact_ids",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="Invited in their language; they receive the approved minutes.",
    )
    attendee_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="All Attendees",
        compute="_compute_attendee_partner_ids",
    )
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    duration = fields.Float(default=1.0, required=True, help="In hours.")
    location = fields.Char(help="A room, an address or a video call link.")
    event_id = fields.Many2one(
        comodel_name="calendar.event",
        string="Calendar Event",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    state = fields.Selection(
        selection=[("draft", "Draft Minutes"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    present_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="helpdesk_service_meeting_present_rel",
        column1="meeting_id",
        column2="partner_id",
        string="Attendees Present",
        domain="[('id', 'in', attendee_partner_ids)]",
    )
    agenda = fields.Html()
    decisions = fields.Html()
    action_ids = fields.One2many(
        comodel_name="helpdesk.service.meeting.action",
        inverse_name="meeting_id",
        string="Action Items",
        copy=False,
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)

    # the customer and company of the meeting are those of what it was
    # scheduled from, as they were: a later change of a ticket's customer
    # never rewrites approved minutes
    @api.depends("plan_id", "ticket_id")
    def _compute_partner_id(self):
        for meeting in self:
            meeting.partner_id = (
                meeting.plan_id.partner_id.commercial_partner_id
                or meeting.ticket_id.commercial_partner_id
            )

    @api.depends("plan_id", "ticket_id")
    def _compute_company_id(self):
        for meeting in self:
            meeting.company_id = (
                meeting.plan_id.company_id
                or meeting.ticket_id.company_id
                or meeting.company_id
                or self.env.company
            )

    @api.depends("plan_id", "ticket_id")
    def _compute_user_ids(self):
        """The organiser, the plan's author and the ticket's assignee, until
        chosen by hand."""
        for meeting in self:
            if not meeting.user_ids:
                meeting.user_ids = (
                    meeting.organizer_id
                    | meeting.plan_id.user_id
                    | meeting.ticket_id.user_id
                )

    @api.depends("plan_id", "ticket_id")
    def _compute_contact_ids(self):
        """The plan's contact and the ticket's requester, until chosen by
        hand."""
        for meeting in self:
            if not meeting.contact_ids:
                contacts = meeting.plan_id.contact_id | meeting.ticket_id.partner_id
                meeting.contact_ids = contacts.filtered(lambda c: not c.is_company)

    @api.depends("organizer_id", "user_ids", "contact_ids")
    def _compute_attendee_partner_ids(self):
        for meeting in self:
            meeting.attendee_partner_ids = meeting._attendee_partners()

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for meeting in self:
            meeting.display_name = " ".join(
                filter(None, (meeting.name, meeting.subject))
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for meeting in self:
            meeting.access_url = f"/my/service_meetings/{meeting.id}"
        return result

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Meeting Minutes %(number)s", number=self.name)

    def _evidence_final_domain(self):
        return Domain("state", "=", "approved")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("kind", "plan_id", "ticket_id", "contact_ids")
    def _check_origin(self):
        """A kick-off follows a confirmed plan; the plan and the ticket are
        the same customer's, and so are the customer's attendees. Read as
        superuser: the check concerns the data."""
        for meeting in self.sudo():
            if meeting.kind == "kickoff" and meeting.plan_id.state != "confirmed":
                raise ValidationError(
                    self.env._(
                        "A kick-off meeting is held once the customer has "
                        "confirmed the service plan."
                    )
                )
            customer = meeting.partner_id
            if (
                meeting.plan_id
                and meeting.ticket_id
                and meeting.ticket_id.commercial_partner_id != customer
            ):
                raise ValidationError(
                    self.env._(
                        "The ticket %(ticket)s is not of the plan's customer.",
                        ticket=meeting.ticket_id.display_name,
                    )
                )
            others = meeting.contact_ids.filtered(
                lambda contact, customer=customer: (
                    contact.commercial_partner_id != customer
                )
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(contacts)s are not contacts of %(customer)s.",
                        contacts=", ".join(others.mapped("display_name")),
                        customer=customer.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        check_system_fields(
            self, vals_list, MEETING_SYSTEM_FIELDS, defaults={"state": "draft"}
        )
        self._check_number(vals_list)
        self._assign_numbers(vals_list)
        meetings = super().create(vals_list)
        meetings._sync_event()
        kickoffs = meetings.filtered(lambda meeting: meeting.kind == "kickoff")
        kickoffs.plan_id._settle_kickoff_todo(kickoffs)
        return meetings

    def write(self, vals):
        check_system_fields(self, [vals], MEETING_SYSTEM_FIELDS)
        self._check_number([vals])
        # approved minutes are final, for everyone: nothing but the mail and
        # portal bookkeeping moves
        final = self._evidence_final()
        if final and any(
            not is_system_write(fname) and fname not in _MAIL_FIELDS for fname in vals
        ):
            raise UserError(
                self.env._(
                    "The minutes of %(meeting)s are approved and final: nobody "
                    "changes them.",
                    meeting=final[:1].display_name,
                )
            )
        result = super().write(vals)
        if _EVENT_FIELDS.intersection(vals):
            self._sync_event()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self._evidence_final():
            raise UserError(self.env._("Approved meeting minutes cannot be deleted."))

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------

    @api.model
    def _number_sequence_name(self, company):
        return self.env._("Meeting Minutes (%(company)s)", company=company.name)

    @api.model
    def _number_company(self, vals):
        plan = self.env["helpdesk.service.plan"].browse(
            self._number_value(vals, "plan_id")
        )
        ticket = self.env["helpdesk.ticket"].browse(
            self._number_value(vals, "ticket_id")
        )
        return plan.sudo().company_id or ticket.sudo().company_id

    # ------------------------------------------------------------------
    # Calendar
    # ------------------------------------------------------------------

    def _attendee_partners(self):
        """Both sides: our attendees (the organiser among them) and the
        customer's."""
        self.ensure_one()
        return (self.organizer_id | self.user_ids).partner_id | self.contact_ids

    def _prepare_event_values(self):
        self.ensure_one()
        return {
            "name": self.display_name,
            "start": self.date_start,
            "stop": self.date_start + timedelta(hours=self.duration),
            "user_id": self.organizer_id.id,
            "location": self.location,
            "partner_ids": [Command.set(self._attendee_partners().ids)],
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    def _sync_event(self):
        """The calendar event of each meeting, created or updated: Odoo's
        calendar invites the attendees it did not invite yet, each in their
        language (calendar.attendee's invitation template), with the .ics."""
        for meeting in self.filtered(lambda m: m.state == "draft"):
            values = meeting._prepare_event_values()
            if meeting.event_id:
                meeting.event_id.write(values)
                continue
            event = self.env["calendar.event"].create(values)
            with system_write("event_id"):
                meeting.write({"event_id": event.id})
