# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The complaint record (客户投诉处理记录表) of a ticket of request type
# complaint: channel, what is complained about, owner, handling steps, result
# and the customer's feedback; the closing gate (result and a satisfied
# customer) and the reopening one level up of a complaint whose result does
# not satisfy the customer. Its SLA targets are planned with the other clocks
# (helpdesk_ticket_sla_phase.py, agreement_complaint.py).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from .system_fields import check_system_fields, system_value, system_write

COMPLAINT_CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("online_form", "Online Form"),
    ("portal", "Portal"),
    ("in_person", "In Person"),
    ("survey", "Satisfaction Survey"),
]
COMPLAINT_FEEDBACKS = [
    ("satisfied", "Satisfied"),
    ("not_satisfied", "Not Satisfied"),
]
# the customer's feedback and the dates and counter that follow it: moved only
# by _complaint_record_feedback and the result's own write
COMPLAINT_SYSTEM_FIELDS = frozenset(
    {
        "complaint_feedback",
        "complaint_feedback_date",
        "complaint_result_date",
        "complaint_reopen_count",
    }
)
MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_channel = fields.Selection(
        selection=COMPLAINT_CHANNELS,
        tracking=True,
        help="How the customer complained. Set from the way the complaint came "
        "in (portal, e-mail, survey) and by the staff who take it by phone or "
        "in person.",
    )
    complained_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        index="btree_not_null",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('id', '!=', id)]",
        help="The request of the same customer the complaint is about.",
    )
    complained_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Complained Agent",
        domain="[('share', '=', False)]",
        help="The member of staff the complaint is about.",
    )
    complaint_owner_id = fields.Many2one(
        comodel_name="res.users",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who answers for the handling of the complaint: the company's "
        "complaint owner, else its customer service manager. The complaint is "
        "assigned to its owner at every level (the level's owners follow it); "
        "only managers change the owner, or hand the complaint to someone "
        "else, who then becomes its owner.",
    )
    complaint_steps = fields.Html(
        string="Handling Steps",
        help="Internal notes on how the complaint is handled: never shown to "
        "the customer.",
    )
    complaint_result = fields.Text(
        tracking=True,
        help="The result given to the customer, who is then asked whether it "
        "satisfies them.",
    )
    complaint_result_date = fields.Datetime(string="Result Date", readonly=True)
    complaint_feedback = fields.Selection(
        selection=COMPLAINT_FEEDBACKS,
        string="Customer's Feedback",
        readonly=True,
        tracking=True,
    )
    complaint_feedback_date = fields.Datetime(string="Feedback Date", readonly=True)
    complaint_reopen_count = fields.Integer(
        string="Reopened",
        readonly=True,
        help="Times the customer was not satisfied with the result, each "
        "reopening the complaint one level up.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("complained_ticket_id", "partner_id", "request_type")
    def _check_complained_ticket(self):
        for ticket in self.filtered("complained_ticket_id"):
            other = ticket.sudo().complained_ticket_id
            if other == ticket:
                raise ValidationError(self.env._("A complaint cannot be about itself."))
            if other.commercial_partner_id != ticket.sudo().commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A complaint is about a ticket of the same customer: "
                        "%(ticket)s belongs to another customer.",
                        ticket=other.display_name,
                    )
                )

    @api.constrains("complained_user_id", "complaint_owner_id")
    def _check_complaint_users(self):
        for ticket in self:
            users = ticket.sudo().complained_user_id | ticket.sudo().complaint_owner_id
            if any(user.share for user in users):
                raise ValidationError(
                    self.env._(
                        "The complained agent and the complaint owner are "
                        "members of staff, not portal users."
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        check_system_fields(self, vals_list, COMPLAINT_SYSTEM_FIELDS)
        if any(vals.get("complaint_owner_id") for vals in vals_list):
            self._check_complaint_owner_right()
        default_type = self.default_get(["request_type"]).get("request_type")
        complaints = [
            vals
            for vals in vals_list
            if vals.get("request_type", default_type) == "complaint"
        ]
        if complaints:
            channel = self._complaint_default_channel()
            Company = self.env["res.company"]
            owners = self._complaint_owner_by_company(
                Company.browse(
                    {
                        vals.get("company_id") or self.env.company.id
                        for vals in complaints
                    }
                )
            )
            for vals in complaints:
                vals.setdefault("complaint_channel", channel)
                if not vals.get("complaint_owner_id"):
                    owner = owners.get(
                        Company.browse(vals.get("company_id") or self.env.company.id)
                    )
                    vals["complaint_owner_id"] = owner.id if owner else False
                if vals.get("complaint_result"):
                    vals["complaint_result_date"] = fields.Datetime.now()
        with system_write("complaint_result_date"):
            tickets = super().create(vals_list)
        tickets.filtered(
            lambda ticket: ticket.request_type == "complaint"
        )._complaint_notify_owner()
        return tickets

    def write(self, vals):
        check_system_fields(self, [vals], COMPLAINT_SYSTEM_FIELDS)
        if "complaint_owner_id" in vals:
            self._check_complaint_owner_right()
        elif vals.get("user_id"):
            self._check_complaint_reassign_right(vals["user_id"])
        # one person in charge: the owner and the assignee of a complaint
        # move together (looked at only when one of them, or the team that
        # resets the assignee, changes)
        previous_owners = {}
        if {"complaint_owner_id", "user_id", "team_id"} & set(vals):
            previous_owners = {
                ticket: ticket.complaint_owner_id
                for ticket in self.sudo()
                if ticket.request_type == "complaint"
            }
        if "complaint_result" in vals:
            self._check_complaint_result_open()
            vals = dict(
                vals,
                complaint_result_date=vals["complaint_result"]
                and fields.Datetime.now(),
            )
        if vals.get("stage_id"):
            self._check_complaint_before_closing(vals["stage_id"])
        new_complaints = self.browse()
        if vals.get("request_type") == "complaint":
            new_complaints = self.filtered(
                lambda ticket: ticket.request_type != "complaint"
            )
        with system_write("complaint_result_date"):
            result = super().write(vals)
        if previous_owners:
            self._complaint_align_owner(vals, previous_owners)
        if new_complaints:
            new_complaints.filtered(
                lambda ticket: not ticket.complaint_channel
            ).sudo().write({"complaint_channel": self._complaint_default_channel()})
            new_complaints._complaint_notify_owner()
        return result

    @api.model
    def message_new(self, msg, custom_values=None):
        # a complaint that comes in by e-mail (an alias whose defaults make
        # it one) has the e-mail channel
        with system_write(complaint_channel="email"):
            return super().message_new(msg, custom_values=custom_values)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _check_complaint_owner_right(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        raise AccessError(
            self.env._(
                "Only customer service managers choose the owner of a complaint."
            )
        )

    def _check_complaint_reassign_right(self, user_id):
        """A complaint is assigned to its owner: handing it to someone else
        makes them its owner, which only managers decide (and the system, as
        superuser)."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        owned = self.sudo().filtered(
            lambda ticket: (
                ticket.request_type == "complaint"
                and ticket.complaint_owner_id
                and ticket.complaint_owner_id.id != user_id
            )
        )
        if owned:
            raise UserError(
                self.env._(
                    "%(ticket)s is a complaint in the charge of its owner "
                    "%(owner)s, who is also its assignee. Only a customer "
                    "service manager hands it to someone else, who then "
                    "becomes its owner.",
                    ticket=owned[0].display_name,
                    owner=owned[0].complaint_owner_id.name,
                )
            )

    def _check_complaint_result_open(self):
        """A result the customer said they are satisfied with is final."""
        if self.env.su:
            return
        answered = self.filtered(lambda ticket: ticket.complaint_feedback)
        if answered:
            raise UserError(
                self.env._(
                    "The customer has given their feedback on the result of "
                    "%(tickets)s: it cannot be changed any more.",
                    tickets=", ".join(answered.mapped("display_name")),
                )
            )

    def _check_complaint_before_closing(self, stage_id):
        """A complaint closes only with a result and a satisfied customer
        (read as superuser: the gate concerns the data, whoever closes)."""
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id).sudo()
        if not stage.closed:
            return
        for ticket in self.sudo():
            if ticket.request_type != "complaint" or ticket.stage_id.closed:
                continue
            if not ticket.complaint_result:
                raise UserError(
                    self.env._(
                        "The complaint %(ticket)s cannot be closed without its "
                        "result: write the result given to the customer first.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.complaint_feedback != "satisfied":
                raise UserError(
                    self.env._(
                        "The complaint %(ticket)s closes only once the customer "
                        "said they are satisfied with the result: record the "
                        "customer's feedback first.",
                        ticket=ticket.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_complaint_satisfied(self):
        self._complaint_record_feedback("satisfied")

    def action_complaint_not_satisfied(self):
        self._complaint_record_feedback("not_satisfied")

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _complaint_activity_type(self):
        """The type of the complaint owner's to-dos (a plain to-do if the
        addon's type was deleted)."""
        return self.env.ref(
            "helpdesk_service_agreement.mail_activity_type_complaint",
            raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")

    @api.model
    def _complaint_default_channel(self):
        """How a complaint created now came in: e-mail through the mail
        gateway, the portal from a portal user (the portal creates tickets as
        superuser, in the customer's name), else by phone to the staff."""
        channel = system_value("complaint_channel")
        if channel:
            return channel
        if self.env.user._is_portal():
            return "portal"
        return "phone"

    @api.model
    def _complaint_owner_by_company(self, companies):
        """The default complaint owner of each company: its complaint owner,
        else its first active customer service manager; two queries for all
        the companies."""
        companies = companies.sudo()
        owners = {
            company: company.complaint_manager_id
            for company in companies
            if company.complaint_manager_id.active
        }
        missing = companies.filtered(lambda company: company not in owners)
        if missing:
            managers = (
                self.env["res.users"]
                .sudo()
                .search(
                    Domain("all_group_ids", "in", self.env.ref(MANAGER_GROUP).ids)
                    & Domain("share", "=", False)
                    & Domain("company_ids", "in", missing.ids),
                    order="id",
                )
            )
            for company in missing:
                owners[company] = managers.filtered(
                    lambda user, c=company: c in user.company_ids
                )[:1]
        return owners

    def _complaint_notify_owner(self):
        """Give the complaints without an owner the default one, make each
        owner a follower and the assignee (one person in charge) and give
        them a to-do "Handle complaint": a fixed number of queries for the
        batch (several complaints at once, as the satisfaction survey opens
        them)."""
        tickets = self.sudo()
        without = tickets.filtered(lambda ticket: not ticket.complaint_owner_id)
        if without:
            owners = self._complaint_owner_by_company(without.company_id)
            for owner, group in without.grouped(
                lambda ticket: owners.get(ticket.company_id) or ticket.env["res.users"]
            ).items():
                if owner:
                    group.write({"complaint_owner_id": owner.id})
        owned = tickets.filtered("complaint_owner_id")
        for owner, group in owned.grouped("complaint_owner_id").items():
            group.message_subscribe(partner_ids=owner.partner_id.ids)
            # one person in charge: the owner is the complaint's assignee
            others = group.filtered(lambda ticket, owner=owner: ticket.user_id != owner)
            if others:
                # the to-do below tells the owner: no second e-mail
                others.with_context(mail_auto_subscribe_no_notify=True).write(
                    {"user_id": owner.id}
                )
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": ticket.id,
                    "activity_type_id": self._complaint_activity_type().id,
                    # in the owner's language: the to-do is theirs
                    "summary": self.with_context(
                        lang=ticket.complaint_owner_id.lang or self.env.lang
                    ).env._("Handle complaint"),
                    "user_id": ticket.complaint_owner_id.id,
                    "date_deadline": fields.Date.context_today(ticket),
                }
                for ticket in owned
            ]
        )

    def _complaint_align_owner(self, vals, previous_owners):
        """After a write: a complaint's owner and assignee are one person.
        The owner chosen → the assignee follows, and the open "Handle
        complaint" to-dos go to the new owner; the assignee chosen (by a
        manager or the system) → the owner follows; left without an assignee
        (a transfer, a team change) → the owner keeps it. Written as
        superuser: the rights were checked before the write."""
        complaints = self.sudo().filtered(
            lambda ticket: (
                ticket.request_type == "complaint" and ticket.complaint_owner_id
            )
        )
        if not complaints:
            return
        if "complaint_owner_id" not in vals:
            moved = complaints.filtered(
                lambda ticket: (
                    ticket.user_id and ticket.user_id != ticket.complaint_owner_id
                )
            )
            for user, group in moved.grouped("user_id").items():
                group.write({"complaint_owner_id": user.id})
        unaligned = complaints.filtered(
            lambda ticket: ticket.user_id != ticket.complaint_owner_id
        )
        for owner, group in unaligned.grouped("complaint_owner_id").items():
            group.write({"user_id": owner.id})
        if "complaint_owner_id" in vals:
            complaints._complaint_hand_over(previous_owners)

    def _complaint_hand_over(self, previous_owners):
        """The owner changed: the new owner follows the complaint and takes
        over the previous owner's open to-dos on it (the activity's new user
        is notified); the previous owner keeps following it."""
        activity_type = self._complaint_activity_type()
        for ticket in self:
            previous = previous_owners.get(ticket)
            owner = ticket.complaint_owner_id
            if not previous or previous == owner:
                continue
            ticket.message_subscribe(partner_ids=owner.partner_id.ids)
            ticket.activity_ids.filtered(
                lambda activity, previous=previous: (
                    activity.activity_type_id == activity_type
                    and activity.user_id == previous
                )
            ).write({"user_id": owner.id})

    def _sla_owners(self):
        """A complaint's owner is its first owner at every level, so the
        clock's assignment keeps it with them; the level's owners follow it."""
        owners = super()._sla_owners()
        for ticket, users in owners.items():
            owner = ticket.sudo().complaint_owner_id
            if ticket.request_type == "complaint" and owner.active:
                owners[ticket] = owner | users
        return owners

    def _complaint_record_feedback(self, feedback):
        """Record the customer's feedback on the result. Satisfied: the
        complaint may close. Not satisfied: it reopens one level up (level 3
        stays 3), back to work if it was closed or waiting, the result cleared
        (the chatter keeps it) so a new result and feedback are required, and
        its owner gets a to-do."""
        if feedback not in dict(COMPLAINT_FEEDBACKS):
            raise ValidationError(
                self.env._(
                    "%(value)r is not a feedback on a complaint result.",
                    value=feedback,
                )
            )
        for ticket in self:
            if ticket.request_type != "complaint":
                raise UserError(
                    self.env._(
                        "%(ticket)s is not a complaint.", ticket=ticket.display_name
                    )
                )
            if not ticket.complaint_result:
                raise UserError(
                    self.env._(
                        "The customer gives feedback on a result: %(ticket)s has "
                        "none yet.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.complaint_feedback:
                raise UserError(
                    self.env._(
                        "The customer's feedback on the result of %(ticket)s is "
                        "already recorded.",
                        ticket=ticket.display_name,
                    )
                )
        # the user's right to write the tickets is checked here; the feedback
        # fields are then written by the system
        self.check_access("write")
        now = fields.Datetime.now()
        tickets = self.sudo()
        if feedback == "satisfied":
            with system_write("complaint_feedback", "complaint_feedback_date"):
                tickets.write(
                    {"complaint_feedback": feedback, "complaint_feedback_date": now}
                )
            # the owner's to-dos are settled: the customer accepts the result
            activities = tickets.activity_ids.filtered(
                lambda activity: (
                    activity.activity_type_id == self._complaint_activity_type()
                )
            )
            if activities:
                activities.action_feedback(
                    feedback=self.env._("The customer is satisfied with the result.")
                )
            return True
        tickets._complaint_reopen(now)
        return True

    def _complaint_reopen(self, now):
        """The customer is not satisfied: one level up, back to work."""
        for ticket in self:
            ticket.message_post(
                body=Markup("<p>%s</p><blockquote>%s</blockquote>")
                % (
                    self.env._(
                        "The customer is not satisfied with the result: the "
                        "complaint is reopened one level up."
                    ),
                    ticket.complaint_result,
                ),
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )
        note = self.env._("The customer is not satisfied with the complaint result.")
        for level, group in self.grouped(
            lambda ticket: str(min(int(ticket.problem_level or "1") + 1, 3))
        ).items():
            raise_level = group.filtered(
                lambda ticket, level=level: ticket.problem_level != level
            )
            if raise_level:
                with system_write(sla_escalation_note=note):
                    raise_level.write({"problem_level": level})
        for ticket in self:
            with system_write(
                "complaint_feedback",
                "complaint_feedback_date",
                "complaint_result_date",
                "complaint_reopen_count",
            ):
                ticket.write(
                    {
                        "complaint_result": False,
                        "complaint_feedback": False,
                        "complaint_feedback_date": False,
                        "complaint_reopen_count": ticket.complaint_reopen_count + 1,
                    }
                )
        self._complaint_back_to_work()
        for ticket in self.filtered("complaint_owner_id"):
            ticket.activity_schedule(
                activity_type_id=self._complaint_activity_type().id,
                user_id=ticket.complaint_owner_id.id,
                summary=self.env._("Handle complaint"),
                note=self.env._(
                    "The customer is not satisfied with the result: give a new "
                    "result at level %(level)s.",
                    level=ticket.problem_level,
                ),
            )

    def _complaint_back_to_work(self):
        """A closed or waiting complaint goes back to helpdesk_mgmt's In
        Progress stage, where its team uses it (as the acceptance's
        rectification does)."""
        stage = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress", raise_if_not_found=False
        )
        if not stage or not stage.active or stage.closed:
            return
        tickets = self.filtered(
            lambda ticket: (
                (ticket.stage_id.closed or ticket.stage_id.sla_pause)
                and ticket.stage_id != stage
                and (not stage.team_ids or ticket.team_id in stage.team_ids)
                and stage.company_id in (ticket.company_id, self.env["res.company"])
            )
        )
        if tickets:
            tickets.write({"stage_id": stage.id})

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _demo_complaint_settle(self, ticket_ids):
        """Demo data only: the customer is satisfied with the result of these
        complaints and they close; a complaint already answered or closed is
        left as it is (the demo file runs again on every update)."""
        tickets = self.browse(ticket_ids).exists()
        tickets.filtered(
            lambda ticket: ticket.complaint_result and not ticket.complaint_feedback
        )._complaint_record_feedback("satisfied")
        stage = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_done", raise_if_not_found=False
        )
        to_close = tickets.filtered(
            lambda ticket: (
                ticket.complaint_feedback == "satisfied" and not ticket.stage_id.closed
            )
        )
        if stage and to_close:
            to_close.write({"stage_id": stage.id})

    def _demo_complaint_feedback(self, moment, feedback):
        """Demo data only: a step of ``_demo_replay`` (helpdesk_ticket_demo.py),
        the customer's feedback on the result at ``moment``."""
        self._complaint_record_feedback(feedback)
        with system_write("complaint_result_date", "complaint_feedback_date"):
            self.write(
                {"complaint_result_date": moment, "complaint_feedback_date": moment}
            )
