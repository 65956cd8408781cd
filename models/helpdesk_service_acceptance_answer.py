# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An acceptance form goes to the customer, who answers: the signature that
# accepts every deliverable, the request for rectification that opens the next
# round; or staff record the form the customer signed on paper.
from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools.image import base64_to_image

from .helpdesk_service_evidence_mixin import EVIDENCE_FILES
from .system_fields import system_write

ACCEPTANCE_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_acceptance"
)
# what a drawn signature may be (the portal's signature pad sends a PNG)
SIGNATURE_FORMATS = ("PNG", "JPEG")
SIGNATURE_MAX_PIXELS = 4096 * 4096
LINE_ANSWER_FIELDS = ("result", "customer_remark", "rectification_reason")


class HelpdeskServiceAcceptance(models.Model):
    _inherit = "helpdesk.service.acceptance"

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
        help="The customer's contact who accepted the form (signed online or on "
        "paper) or asked for rectification.",
    )
    answer_date = fields.Date(
        string="Answered On",
        readonly=True,
        copy=False,
        help="The day the customer accepted or asked for rectification.",
    )
    # --- a form signed on paper
    paper_scan = fields.Binary(
        string="Signed Paper Form", readonly=True, copy=False, attachment=True
    )
    paper_scan_filename = fields.Char(readonly=True, copy=False)
    paper_signer = fields.Char(string="Paper Signed By", readonly=True, copy=False)
    paper_date = fields.Date(string="Paper Signed On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the forms to the customer's contact: an e-mail in the
        contact's language with the link to the portal page where they sign
        or ask for rectification."""
        for acceptance in self:
            if acceptance.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft acceptance form is sent (%(form)s is %(state)s).",
                        form=acceptance.display_name,
                        state=acceptance._state_label(),
                    )
                )
            if not acceptance.line_ids:
                raise UserError(
                    self.env._(
                        "%(form)s lists no deliverable to accept.",
                        form=acceptance.display_name,
                    )
                )
            if not acceptance.contact_id.email:
                raise UserError(
                    self.env._(
                        "%(form)s needs a customer contact with an e-mail address.",
                        form=acceptance.display_name,
                    )
                )
        for acceptance in self:
            acceptance._portal_ensure_token()
        # the customer opens the deliverables' files from the link without
        # logging in: tokens on the attachments, which the sender may read
        # (checked when they were linked, see the line's _check_attachments)
        self.line_ids.attachment_ids.sudo().generate_access_token()
        with system_write("state"):
            self.write({"state": "sent"})
        template = self.env.ref(
            "helpdesk_service_agreement.mail_template_service_acceptance",
            raise_if_not_found=False,
        )
        if template:
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_reset_draft(self):
        """Take a sent form back to change it; the link shows nothing until
        it is sent again."""
        if any(acceptance.state != "sent" for acceptance in self):
            raise UserError(
                self.env._(
                    "Only a sent acceptance form the customer has not answered "
                    "goes back to draft."
                )
            )
        with system_write("state"):
            self.write({"state": "draft"})
        return True

    def action_open_paper_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_acceptance_paper_wizard_action"
        )
        action["context"] = {"default_acceptance_id": self.id}
        return action

    def _mail_get_partner_fields(self, introspect_fields=False):
        """The customer's contact gets the form's e-mails, not the company."""
        return ["contact_id"]

    def _notify_tickets(self, body):
        """Say on each ticket what became of its acceptance (an internal
        note: the form itself tells the customer)."""
        # the answer came through the form's access check (portal token or
        # staff rights); the customer answering may not post on tickets
        for ticket in self.sudo().ticket_ids:
            ticket.message_post(
                body=Markup("<p>%s</p>") % body,
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )

    # ------------------------------------------------------------------
    # The customer's answer
    # ------------------------------------------------------------------

    def _check_answerable(self):
        """Only a form sent to the customer and not answered yet is answered."""
        self.ensure_one()
        if self.state != "sent":
            raise UserError(
                self.env._(
                    "%(form)s is not waiting for an answer: it is %(state)s.",
                    form=self.display_name,
                    state=self._state_label(),
                )
            )

    # ------------------------------------------------------------------
    # Accepted: signed online or on paper
    # ------------------------------------------------------------------

    def _portal_accept(self, name, signature, signer_partner):
        """The customer accepts every deliverable and signs with their name
        and a drawn signature (base64 image). The signed copy is attached in
        the chatter."""
        self.ensure_one()
        self._check_answerable()
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Enter your name to sign the form."))
        if not signature:
            raise UserError(self.env._("Draw your signature to sign the form."))
        self._check_signature_image(signature)
        self._accept(
            {
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
                "signature": signature,
                "signer_partner_id": signer_partner.id,
                "answer_date": fields.Date.context_today(self),
            }
        )
        # the signer passed the form's access check; the signed copy is the
        # form as printed for its customer
        pdf = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(ACCEPTANCE_REPORT, self.ids)[0]
        )
        self.message_post(
            body=self.env._(
                "Acceptance form signed by %(name)s: every deliverable passed.",
                name=name,
            ),
            attachments=[(f"{self.name}.pdf", pdf)],
            author_id=signer_partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _check_signature_image(self, signature):
        try:
            image = base64_to_image(signature)
            valid = (
                image.format in SIGNATURE_FORMATS
                and image.width * image.height <= SIGNATURE_MAX_PIXELS
            )
        except (UserError, TypeError, ValueError):
            valid = False
        if not valid:
            raise UserError(self.env._("The signature is not a valid image."))

    def _record_paper_form(self, scan, filename, signer, date, signer_partner):
        """Staff record the form the customer signed on paper (the scan, who
        signed, when, and the contact who signed if known: the form's contact
        otherwise): every deliverable passed."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "%(form)s was already answered (%(state)s): a signed paper "
                    "form is recorded on a form waiting for the customer.",
                    form=self.display_name,
                    state=self._state_label(),
                )
            )
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "%(form)s lists no deliverable to accept.", form=self.display_name
                )
            )
        signer = (signer or "").strip()
        date = fields.Date.to_date(date)
        if not scan or not signer or not date:
            raise UserError(
                self.env._(
                    "A signed paper form needs its scan, the signer and the date."
                )
            )
        if date > fields.Date.context_today(self):
            raise UserError(self.env._("A paper form cannot be signed in the future."))
        self._accept(
            {
                "paper_scan": scan,
                "paper_scan_filename": filename,
                "paper_signer": signer,
                "paper_date": date,
                "signer_partner_id": (signer_partner or self.contact_id).id,
                "answer_date": date,
            }
        )
        self.message_post(
            body=self.env._(
                "Signed paper form recorded: signed by %(signer)s on %(date)s.",
                signer=signer,
                date=fields.Date.to_string(date),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _accept(self, values):
        """Every deliverable passed: the form is accepted and final."""
        with system_write(*LINE_ANSWER_FIELDS, "state", EVIDENCE_FILES, *values):
            self.line_ids.write({"result": "pass", "rectification_reason": False})
            self.write(dict(values, state="accepted"))
        self._notify_tickets(
            self.env._(
                "The customer accepted the deliverables: acceptance form %(form)s "
                "passed.",
                form=self.name,
            )
        )
        self._after_accept()

    def _after_accept(self):
        """Hook run once a form is accepted (the satisfaction survey invites
        its signer from here)."""

    # ------------------------------------------------------------------
    # Needs rectification: the next round
    # ------------------------------------------------------------------

    def _portal_request_rectification(self, answers, partner):
        """The customer marks each deliverable passed or failed, with the
        reason of each failure and an optional remark: ``answers`` maps a
        line id to ``{"result", "reason", "remark"}``. At least one fails;
        the form needs rectification and the next round opens."""
        self.ensure_one()
        self._check_answerable()
        results = self.line_ids._parse_answers(answers)
        if not any(values["result"] == "fail" for values in results.values()):
            raise UserError(
                self.env._(
                    "No deliverable failed: sign the form to accept it, or mark "
                    "the deliverables that need rectification."
                )
            )
        with system_write(
            *LINE_ANSWER_FIELDS, "state", "signer_partner_id", "answer_date"
        ):
            for line, values in results.items():
                line.write(values)
            self.write(
                {
                    "state": "rectify",
                    "signer_partner_id": partner.id,
                    "answer_date": fields.Date.context_today(self),
                }
            )
        failed = self.line_ids.filtered(lambda line: line.result == "fail")
        reasons = Markup("").join(
            Markup("<li><strong>%s</strong>: %s</li>")
            % (line.deliverable, line.rectification_reason)
            for line in failed
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "%(name)s asked for rectification of:", name=partner.name or ""
                ),
                reasons,
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._notify_tickets(
            self.env._(
                "The customer asked for rectification: acceptance form %(form)s "
                "did not pass.",
                form=self.name,
            )
        )
        return self._open_next_round()

    def _open_next_round(self):
        """The next round of a form that needs rectification: a draft with
        the failed deliverables, the tickets back in progress and a to-do for
        the responsible."""
        self.ensure_one()
        failed = self.line_ids.filtered(lambda line: line.result == "fail")
        with system_write("round", "previous_id", "next_id", "previous_line_id"):
            successor = self.create(
                {
                    "ticket_ids": [Command.set(self.ticket_ids.ids)],
                    "contact_id": self.contact_id.id,
                    "user_id": self.user_id.id,
                    "company_id": self.company_id.id,
                    "round": self.round + 1,
                    "previous_id": self.id,
                    "line_ids": [
                        Command.create(line._next_round_values()) for line in failed
                    ],
                }
            )
            self.next_id = successor
        self._reopen_tickets()
        owner = self.user_id or self.ticket_ids.user_id[:1]
        if owner:
            successor.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=owner.id,
                summary=self.env._("Rework the deliverables the customer refused"),
                note=Markup("<ul>%s</ul>")
                % Markup("").join(
                    Markup("<li>%s: %s</li>")
                    % (line.deliverable, line.rectification_reason)
                    for line in failed
                ),
            )
        successor.message_post(
            body=self.env._(
                "Round %(round)s, after the customer asked for rectification of "
                "%(form)s.",
                round=successor.round,
                form=self.name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return successor

    def _reopen_tickets(self):
        """The tickets go back to helpdesk_mgmt's In Progress stage, where
        their team uses it, for the rework (as superuser: the customer's
        answer moves them)."""
        stage = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress", raise_if_not_found=False
        )
        if not stage or not stage.active or stage.closed:
            return
        # after the customer's checked answer: their tickets go back to work,
        # which the customer (portal) may not write
        tickets = self.sudo().ticket_ids.filtered(
            lambda ticket: (
                ticket.stage_id != stage
                and (not stage.team_ids or ticket.team_id in stage.team_ids)
                and stage.company_id in (ticket.company_id, self.env["res.company"])
            )
        )
        if tickets:
            tickets.write({"stage_id": stage.id})
