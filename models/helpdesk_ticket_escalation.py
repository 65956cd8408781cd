# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_datetime

from .helpdesk_ticket import PROBLEM_LEVELS

ESCALATION_REASONS = [
    ("response_breach", "Response Deadline Missed"),
    ("resolution_breach", "Resolution Deadline Missed"),
    ("update_breach", "Customer Update Missed"),
    ("manual", "Manual Escalation"),
    ("regraded", "Regraded"),
]
BREACH_REASONS = ("response_breach", "resolution_breach", "update_breach")


class HelpdeskTicketEscalation(models.Model):
    """One change of problem level, or one missed deadline at the top level
    (升级记录): who, when, why, from which level to which. The log is written
    by the system and never edited."""

    _name = "helpdesk.ticket.escalation"
    _description = "Ticket Escalation"
    _order = "date desc, id desc"
    _check_company_auto = True

    # a missed deadline escalates once, even when two checks run at once
    _breach_once = models.UniqueIndex(
        "(ticket_id, reason, missed_deadline) WHERE missed_deadline IS NOT NULL",
        lambda env, diag: env._("This missed deadline was already escalated."),
    )
    _breach_has_deadline = models.Constraint(
        "CHECK(reason NOT IN ('response_breach', 'resolution_breach', "
        "'update_breach') OR missed_deadline IS NOT NULL)",
        lambda env, diag: env._("An escalation for a missed deadline names it."),
    )

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    from_level = fields.Selection(
        selection=PROBLEM_LEVELS, required=True, readonly=True
    )
    to_level = fields.Selection(selection=PROBLEM_LEVELS, required=True, readonly=True)
    direction = fields.Selection(
        selection=[("up", "Escalated"), ("down", "Lowered"), ("same", "Top Level")],
        compute="_compute_direction",
        store=True,
    )
    reason = fields.Selection(
        selection=ESCALATION_REASONS, required=True, index=True, readonly=True
    )
    missed_deadline = fields.Datetime(readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    owner_id = fields.Many2one(
        comodel_name="res.users",
        string="New Owner",
        readonly=True,
    )
    notified_user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Notified",
        readonly=True,
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    note = fields.Text(readonly=True)
    level_change = fields.Char(
        string="Change",
        compute="_compute_level_change",
        help="What happened to the level: Level 2 → Level 3, or, within a "
        "level, its owners notified again of a missed deadline.",
    )
    summary = fields.Text(compute="_compute_summary")

    @api.depends("from_level", "to_level")
    def _compute_direction(self):
        for escalation in self:
            if escalation.to_level > escalation.from_level:
                escalation.direction = "up"
            elif escalation.to_level < escalation.from_level:
                escalation.direction = "down"
            else:
                escalation.direction = "same"

    @api.depends("from_level", "to_level")
    @api.depends_context("lang")
    def _compute_level_change(self):
        for escalation in self:
            escalation.level_change = escalation._level_change_label()

    @api.depends(
        "from_level", "to_level", "reason", "owner_id", "notified_user_ids", "note"
    )
    @api.depends_context("lang", "tz")
    def _compute_summary(self):
        for escalation in self:
            escalation.summary = escalation._message_text()

    @api.depends("ticket_id", "to_level")
    def _compute_display_name(self):
        levels = dict(self._fields["to_level"]._description_selection(self.env))
        for escalation in self:
            escalation.display_name = self.env._(
                "%(ticket)s: %(level)s",
                ticket=escalation.ticket_id.display_name or "",
                level=levels.get(escalation.to_level, ""),
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _level_change_label(self):
        """The change in a few words, as the list, the chatter and the
        postmortem timeline name it: "Level 2 → Level 3"; a record within one
        level (a deadline missed at the top level, a customer update missed)
        says who was notified again."""
        self.ensure_one()
        if not self.from_level or not self.to_level:
            return ""
        if self.from_level != self.to_level:
            return self.env._(
                "Level %(from_level)s → Level %(to_level)s",
                from_level=self.from_level,
                to_level=self.to_level,
            )
        if self.to_level == "3":
            return self.env._(
                "Level %(level)s: emergency team notified again", level=self.to_level
            )
        return self.env._("Level %(level)s: owners notified again", level=self.to_level)

    def _message_text(self):
        """What the ticket's chatter says about this escalation, its times in
        the reader's time zone (``tz`` of the context, else the current
        user's, else the company's)."""
        self.ensure_one()
        levels = dict(self._fields["to_level"]._description_selection(self.env))
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        tz = self.env.context.get("tz") or self.ticket_id._sla_reader_tz()
        values = {
            "from_level": levels.get(self.from_level, ""),
            "to_level": levels.get(self.to_level, ""),
            "change": self._level_change_label(),
            "reason": reasons.get(self.reason, ""),
            "owner": self.owner_id.name or self.env._("nobody"),
            "users": ", ".join(self.notified_user_ids.mapped("name"))
            or self.env._("nobody"),
            "deadline": format_datetime(
                self.env, self.missed_deadline, tz=tz, dt_format="short"
            )
            if self.missed_deadline
            else "",
        }
        if self.direction == "up" and self.missed_deadline:
            text = self.env._(
                "%(reason)s (%(deadline)s): escalated from %(from_level)s to "
                "%(to_level)s. Owner: %(owner)s.",
                **values,
            )
        elif self.direction == "up":
            text = self.env._(
                "%(reason)s: escalated from %(from_level)s to %(to_level)s. "
                "Owner: %(owner)s.",
                **values,
            )
        elif self.direction == "down":
            text = self.env._(
                "%(reason)s: lowered from %(from_level)s to %(to_level)s. "
                "Owner: %(owner)s.",
                **values,
            )
        else:
            text = self.env._(
                "%(reason)s (%(deadline)s). %(change)s (%(users)s).",
                **values,
            )
        if self.note:
            text = f"{text} {self.note}"
        return text

    def _notify(self):
        """Say it in the ticket's chatter; for an escalation or a missed
        deadline, give each notified user an activity and send them the
        escalation e-mail."""
        template = self.env.ref(
            "helpdesk_service_agreement.mail_template_helpdesk_ticket_escalation",
            raise_if_not_found=False,
        )
        for escalation in self.sudo():
            ticket = escalation.ticket_id
            # the chatter note in the language and time zone of the ticket's
            # owner (else the company's); each to-do and e-mail in its
            # recipient's
            note_lang = ticket.user_id.lang or ticket.company_id.partner_id.lang
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % escalation.with_context(
                    lang=note_lang, tz=ticket._sla_reader_tz(ticket.user_id)
                ).summary,
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )
            users = escalation.notified_user_ids
            if escalation.direction == "down" or not users:
                continue
            for (lang, tz), lang_users in users.grouped(
                lambda user, ticket=ticket: (user.lang, ticket._sla_reader_tz(user))
            ).items():
                localized = escalation.with_context(lang=lang, tz=tz)
                summary = localized.env._(
                    "Escalated ticket: %(ticket)s", ticket=ticket.number
                )
                # the escalation e-mail below tells them: no second e-mail
                # for the activity
                for user in lang_users:
                    ticket.with_context(
                        mail_activity_quick_update=True
                    ).activity_schedule(
                        "helpdesk_service_agreement.mail_activity_type_sla_followup",
                        summary=summary,
                        note=localized.summary,
                        user_id=user.id,
                    )
                if template:
                    template.with_context(lang=lang, tz=tz).send_mail(
                        escalation.id,
                        email_values={
                            "recipient_ids": [
                                fields.Command.set(lang_users.partner_id.ids)
                            ]
                        },
                    )
