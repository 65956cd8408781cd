# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An approved service plan goes to the customer, who answers: the signature
# of the plan confirmation (服务方案确认书), or a request for changes; or staff
# record the confirmation the customer signed on paper. A confirmed plan
# changes only through a new revision.
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from .helpdesk_service_plan import OPEN_STATES, PORTAL_STATES
from .system_fields import system_write

CONFIRMATION_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_plan_confirmation"
)


class HelpdeskServicePlan(models.Model):
    _inherit = "helpdesk.service.plan"

    _answer_date_field = "confirm_date"
    _answered_states = ("confirmed", "changes_requested")
    _paper_states = ("approved", "sent")
    _signed_report = CONFIRMATION_REPORT
    _paper_wizard_action = (
        "helpdesk_service_agreement.helpdesk_service_plan_paper_wizard_action"
    )
    _paper_wizard_field = "plan_id"

    # --- the customer's answer (the other fields: the signed mixin)
    signer_partner_id = fields.Many2one(
        help="The customer's contact who confirmed the plan (online or on "
        "paper) or asked for changes.",
    )
    confirm_date = fields.Date(
        string="Answered On",
        readonly=True,
        copy=False,
        help="The day the customer confirmed the plan or asked for changes.",
    )
    change_request = fields.Text(
        string="Changes Requested",
        readonly=True,
        copy=False,
        help="The customer's comments when they asked for changes.",
    )
    # --- a confirmation signed on paper
    paper_scan = fields.Binary(string="Signed Paper Confirmation")

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the approved plans to the customer's contact: an e-mail in
        the contact's language with the link to the portal page where they
        confirm or ask for changes."""
        self.check_access("write")
        self._check_state(("approved",), self.env._("sent"))
        self._check_send_contact()
        return self._send_to_customer(
            "helpdesk_service_agreement.mail_template_service_plan"
        )

    # ------------------------------------------------------------------
    # The customer's answer (helpdesk.service.signed.mixin)
    # ------------------------------------------------------------------

    def _signed_message(self, key, **params):
        match key:
            case "not_answerable":
                return self.env._(
                    "%(plan)s is not waiting for the customer's answer: it is "
                    "%(state)s.",
                    plan=params["document"],
                    state=params["state"],
                )
            case "already_answered":
                return self.env._(
                    "%(plan)s is not waiting for the customer's answer: it was "
                    "already answered (%(state)s).",
                    plan=params["document"],
                    state=params["state"],
                )
            case "no_email":
                return self.env._(
                    "%(plan)s needs a customer contact with an e-mail address.",
                    plan=params["document"],
                )
            case "missing_name":
                return self.env._("Enter your name to confirm the plan.")
            case "missing_signature":
                return self.env._("Draw your signature to confirm the plan.")
            case "signed":
                return self.env._(
                    "Service plan confirmed by %(name)s.", name=params["name"]
                )
            case "paper_state":
                return self.env._(
                    "%(plan)s is %(state)s: a signed confirmation is recorded on "
                    "an approved plan, or one waiting for the customer.",
                    plan=params["document"],
                    state=params["state"],
                )
            case "paper_missing":
                return self.env._(
                    "A signed paper confirmation needs its scan, the signer and "
                    "the date."
                )
            case "paper_future":
                return self.env._(
                    "A paper confirmation cannot be signed in the future."
                )
            case "paper_recorded":
                return self.env._(
                    "Signed paper confirmation recorded: signed by %(signer)s on "
                    "%(date)s.",
                    signer=params["signer"],
                    date=params["date"],
                )
        return super()._signed_message(key, **params)

    def _portal_shown(self):
        self.ensure_one()
        return self.state in PORTAL_STATES

    def _signed_copy_filename(self):
        self.ensure_one()
        return f"{self.name}-{self.revision}.pdf"

    def _portal_confirm(self, name, signature, signer_partner):
        """The customer confirms the plan with their name and a drawn
        signature (base64 image); the signed confirmation is attached in the
        chatter."""
        return self._portal_sign(name, signature, signer_partner)

    def _record_paper_confirmation(self, scan, filename, signer, date, signer_partner):
        """Staff record the confirmation the customer signed on paper (the
        scan, who signed, when)."""
        return self._record_paper_signature(
            scan, filename, signer, date, signer_partner
        )

    def _signed_write(self, values):
        self.write(dict(values, state="confirmed"))

    def _after_signed(self):
        result = super()._after_signed()
        self._after_confirm()
        return result

    def _after_confirm(self):
        """Hook run once a plan is confirmed (the archive files the
        confirmation from here)."""

    def _portal_request_changes(self, comments, partner):
        """The customer asks for changes with their comments (required): the
        plan goes back to its author, who revises it for review."""
        self.ensure_one()
        self._lock_for_answer()
        self._check_answerable()
        comments = (comments or "").strip()
        if not comments:
            raise UserError(
                self.env._("Tell us what to change in the plan: comments are required.")
            )
        with system_write(
            "state", "change_request", "signer_partner_id", "confirm_date"
        ):
            self.write(
                {
                    "state": "changes_requested",
                    "change_request": comments,
                    "signer_partner_id": partner.id,
                    "confirm_date": fields.Date.context_today(self),
                }
            )
        self.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._("%(name)s asked for changes:", name=partner.name or ""),
                comments,
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if self.user_id:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("Revise the plan as the customer asked"),
                note=comments,
            )
        return True

    # ------------------------------------------------------------------
    # Revisions
    # ------------------------------------------------------------------

    def action_new_revision(self):
        """A change of a confirmed plan: a new draft revision with the same
        number, its content copied, linked to the plan it replaces. The
        confirmed plan stays as it is; one open revision at a time."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "confirmed":
            raise UserError(
                self.env._(
                    "Only a confirmed plan gets a new revision (%(plan)s is "
                    "%(state)s): change it directly.",
                    plan=self.display_name,
                    state=self._state_label(),
                )
            )
        if self.next_id and self.next_id.state != "cancelled":
            raise UserError(
                self.env._(
                    "%(plan)s already has a later revision: %(next)s.",
                    plan=self.display_name,
                    next=self.next_id.display_name,
                )
            )
        with system_write("name", "revision", "previous_id", "next_id"):
            successor = self.copy(
                {
                    "name": self.name,
                    "revision": self.revision + 1,
                    "previous_id": self.id,
                }
            )
            self.next_id = successor
        # the fees go with the revision, whether or not its author may read
        # them (checked above: the author may write this plan)
        plan_sudo = self.sudo()
        successor.sudo().write(
            {
                "fee_amount": plan_sudo.fee_amount,
                "payment_terms": plan_sudo.payment_terms,
            }
        )
        successor.message_post(
            body=self.env._(
                "Revision %(revision)s of the plan confirmed as %(plan)s.",
                revision=successor.revision,
                plan=self.display_name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return successor._get_form_action()

    def _get_revisions(self):
        """Every revision of this plan, the first one first."""
        self.ensure_one()
        revisions = self
        previous = self.previous_id
        while previous and previous not in revisions:
            revisions = previous + revisions
            previous = previous.previous_id
        following = self.next_id
        while following and following not in revisions:
            revisions += following
            following = following.next_id
        return revisions

    def _is_open(self):
        self.ensure_one()
        return self.state in OPEN_STATES
