# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The minutes of a meeting approved by its organiser (会议纪要): final from
# then on, each action item a to-do of its owner, the minutes and their PDF
# sent to the customer's attendees in their language.
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from .system_fields import system_write

MINUTES_TEMPLATE = "helpdesk_service_agreement.mail_template_service_meeting_minutes"
MINUTES_REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_meeting"


class HelpdeskServiceMeeting(models.Model):
    _inherit = "helpdesk.service.meeting"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.event_id.id,
            "view_mode": "form",
        }

    def _check_approvable(self):
        now = fields.Datetime.now()
        for meeting in self:
            if meeting.state != "draft":
                raise UserError(
                    self.env._(
                        "The minutes of %(meeting)s are already approved.",
                        meeting=meeting.display_name,
                    )
                )
            if not self.env.su and meeting.organizer_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only the organiser, %(organizer)s, approves the minutes "
                        "of %(meeting)s.",
                        organizer=meeting.organizer_id.name,
                        meeting=meeting.display_name,
                    )
                )
            if meeting.date_start > now:
                raise UserError(
                    self.env._(
                        "%(meeting)s has not started yet: its minutes are "
                        "approved after it is held.",
                        meeting=meeting.display_name,
                    )
                )
            if not meeting.present_partner_ids or (
                is_html_empty(meeting.agenda) and is_html_empty(meeting.decisions)
            ):
                raise UserError(
                    self.env._(
                        "Record who was present and the agenda or the decisions "
                        "of %(meeting)s before approving its minutes.",
                        meeting=meeting.display_name,
                    )
                )

    def action_approve(self):
        """The organiser approves the minutes: final from then on, each
        action item a to-do for its owner by its due date, the minutes sent
        to the customer's attendees and filed in the archive."""
        self._check_approvable()
        # locked: of two approvals at the same time, the second waits and
        # reads the approved state
        self.lock_for_update()
        self.invalidate_recordset(["state"])
        self._check_approvable()
        with system_write("state", "approved_by_id", "approved_date", "access_token"):
            for meeting in self:
                meeting._portal_ensure_token()
            self.write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                }
            )
        self.action_ids._schedule_todos()
        self._send_minutes()
        self._after_approve()
        return True

    def _after_approve(self):
        """Hook run once the minutes are approved (the archive files them)."""

    def _send_minutes(self):
        """The approved minutes and their PDF to the customer's attendees,
        one message per language, each in its language."""
        template = self.env.ref(MINUTES_TEMPLATE, raise_if_not_found=False)
        if not template:
            return
        Report = self.env["ir.actions.report"].sudo()
        for meeting in self:
            recipients = meeting.contact_ids.filtered("email")
            default_lang = meeting.partner_id.lang or self.env.lang or "en_US"
            groups = recipients.grouped(
                lambda partner, default=default_lang: partner.lang or default
            )
            for lang, partners in groups.items():
                localized = template.with_context(lang=lang)
                subject = localized._render_field("subject", meeting.ids)[meeting.id]
                body = localized._render_field("body_html", meeting.ids)[meeting.id]
                pdf = Report.with_context(lang=lang)._render_qweb_pdf(
                    MINUTES_REPORT, meeting.ids
                )[0]
                filename = meeting.with_context(lang=lang)._get_report_base_filename()
                meeting.with_context(lang=lang).message_post(
                    body=body,
                    subject=subject,
                    partner_ids=partners.ids,
                    attachments=[(f"{filename}.pdf", pdf)],
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
