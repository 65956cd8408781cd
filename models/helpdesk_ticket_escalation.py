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

    @api.depends(
        "from_level", "to_level", "reason", "owner_id", "notified_user_ids", "note"
    )
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

    def _message_text(self):
        """What the ticket's chatter says about this escalation."""
        self.ensure_one()
        levels = dict(self._fields["to_level"]._description_selection(self.env))
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        values = {
            "from_level": levels.get(self.from_level, ""),
            "to_level": levels.get(self.to_level, ""),
            "reason": reasons.get(self.reason, ""),
            "owner": self.owner_id.name or self.env._("nobody"),
            "users": ", ".join(self.notified_user_ids.mapped("name"))
            or self.env._("nobody"),
            "deadline": format_datetime(
                self.env,
                self.missed_deadline,
                tz=self.ticket_id.sla_phase_id.calendar_id.tz,
                dt_format="short",
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
                "%(reason)s (%(deadline)s) at %(to_level)s, the highest level: "
                "notified %(users)s.",
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
            # the chatter note in the language of the ticket's owner (else the
            # company's); each to-do and e-mail in its recipient's language
            note_lang = ticket.user_id.lang or ticket.company_id.partner_id.lang
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % escalation.with_context(lang=note_lang).summary,
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )
            users = escalation.notified_user_ids
            if escalation.direction == "down" or not users:
                continue
            for lang, lang_users in users.grouped("lang").items():
                localized = escalation.with_context(lang=lang)
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
                    template.with_context(lang=lang).send_mail(
                        escalation.id,
                        email_values={
                            "recipient_ids": [
                                fields.Command.set(lang_users.partner_id.ids)
                            ]
                        },
                    )
