# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An approved service plan goes to the customer, who answers: the signature
# of the plan confirmation (服务方案确认书), or a request for changes; or staff
# record the confirmation the customer signed on paper. A confirmed plan
# changes only through a new revision.
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from .helpdesk_service_plan import OPEN_STATES
from .helpdesk_service_evidence_mixin import EVIDENCE_FILES
from .system_fields import system_write

CONFIRMATION_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_plan_confirmation"
)


class HelpdeskServicePlan(models.Model):
    _inherit = "helpdesk.service.plan"

    # --- the customer's answer
    signed_by = fields.Char(readonly=True, copy=False)
    signed_on = fields.Datetime(readonly=True, copy=False)
    signature = fields.Image(
        readonly=True,
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
    )
    signer_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Answered By",
        readonly=True,
        copy=False,
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
    paper_scan = fields.Binary(
        string="Signed Paper Confirmation", readonly=True, copy=False, attachment=True
    )
    paper_scan_filename = fields.Char(readonly=True, copy=False)
    paper_signer = fields.Char(string="Paper Signed By", readonly=True, copy=False)
    paper_date = fields.Date(string="Paper Signed On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the approved plans to the customer's contact: an e-mail in
        the contact's language with the link to the portal page where they
        confirm or ask for changes."""
        self.check_access("write")
        self._check_state(("approved",), self.env._("sent"))
        for plan in self:
            if not plan.contact_id.email:
                raise UserError(
                    self.env._(
                        "%(plan)s needs a customer contact with an e-mail address.",
                        plan=plan.display_name,
                    )
                )
        for plan in self:
            plan._portal_ensure_token()
        with system_write("state"):
            self.write({"state": "sent"})
        template = self.env.ref(
            "helpdesk_service_agreement.mail_template_service_plan",
            raise_if_not_found=False,
        )
        if template:
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_open_paper_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_plan_paper_wizard_action"
        )
        action["context"] = {"default_plan_id": self.id}
        return action

    def _mail_get_partner_fields(self, introspect_fields=False):
        """The customer's contact gets the plan's e-mails, not the company."""
        return ["contact_id"]

    # ------------------------------------------------------------------
    # The customer's answer
    # ------------------------------------------------------------------

    def _check_answerable(self):
        """Only a plan sent to the customer and not answered yet is answered."""
        self.ensure_one()
        if self.state != "sent":
            raise UserError(
                self.env._(
                    "%(plan)s is not waiting for the customer's answer: it is "
                    "%(state)s.",
                    plan=self.display_name,
                    state=self._state_label(),
                )
            )

    def _portal_confirm(self, name, signature, signer_partner):
        """The customer confirms the plan with their name and a drawn
        signature (base64 image); the signed confirmation is attached in the
        chatter."""
        self.ensure_one()
        self._check_answerable()
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Enter your name to confirm the plan."))
        if not signature:
            raise UserError(self.env._("Draw your signature to confirm the plan."))
        # the acceptance form's check of a drawn signature (format, size)
        self.env["helpdesk.service.acceptance"]._check_signature_image(signature)
        self._confirm(
            {
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
                "signature": signature,
                "signer_partner_id": signer_partner.id,
                "confirm_date": fields.Date.context_today(self),
            }
        )
        # the signer passed the plan's access check; the signed copy is the
        # confirmation as printed for its customer
        pdf = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(CONFIRMATION_REPORT, self.ids)[0]
        )
        self.message_post(
            body=self.env._("Service plan confirmed by %(name)s.", name=name),
            attachments=[(f"{self.name}-{self.revision}.pdf", pdf)],
            author_id=signer_partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _record_paper_confirmation(self, scan, filename, signer, date, signer_partner):
        """Staff record the confirmation the customer signed on paper (the
        scan, who signed, when)."""
        self.ensure_one()
        if self.state not in ("approved", "sent"):
            raise UserError(
                self.env._(
                    "%(plan)s is %(state)s: a signed confirmation is recorded on "
                    "an approved plan, or one waiting for the customer.",
                    plan=self.display_name,
                    state=self._state_label(),
                )
            )
        signer = (signer or "").strip()
        date = fields.Date.to_date(date)
        if not scan or not signer or not date:
            raise UserError(
                self.env._(
                    "A signed paper confirmation needs its scan, the signer and "
                    "the date."
                )
            )
        if date > fields.Date.context_today(self):
            raise UserError(
                self.env._("A paper confirmation cannot be signed in the future.")
            )
        self._confirm(
            {
                "paper_scan": scan,
                "paper_scan_filename": filename,
                "paper_signer": signer,
                "paper_date": date,
                "signer_partner_id": (signer_partner or self.contact_id).id,
                "confirm_date": date,
            }
        )
        self.message_post(
            body=self.env._(
                "Signed paper confirmation recorded: signed by %(signer)s on %(date)s.",
                signer=signer,
                date=fields.Date.to_string(date),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _confirm(self, values):
        with system_write("state", EVIDENCE_FILES, *values):
            self.write(dict(values, state="confirmed"))
        self._after_confirm()

    def _after_confirm(self):
        """Hook run once a plan is confirmed (the archive files the
        confirmation from here)."""

    def _portal_request_changes(self, comments, partner):
        """The customer asks for changes with their comments (required): the
        plan goes back to its author, who revises it for review."""
        self.ensure_one()
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
