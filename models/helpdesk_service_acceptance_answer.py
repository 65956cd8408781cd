# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An acceptance form goes to the customer, who answers: the signature that
# accepts every deliverable, the request for rectification that opens the next
# round; or staff record the form the customer signed on paper. The flow they
# share with the service plan is helpdesk.service.signed.mixin's; the form's
# own wording and rounds are here.
from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError

from .system_fields import system_write

ACCEPTANCE_REPORT = (
    "helpdesk_service_agreement.action_report_helpdesk_service_acceptance"
)
LINE_ANSWER_FIELDS = ("result", "customer_remark", "rectification_reason")


class HelpdeskServiceAcceptance(models.Model):
    _inherit = "helpdesk.service.acceptance"

    _answer_date_field = "answer_date"
    _answered_states = ("accepted", "rectify")
    _paper_states = ("draft", "sent")
    _signed_report = ACCEPTANCE_REPORT
    _paper_wizard_action = (
        "helpdesk_service_agreement.helpdesk_service_acceptance_paper_wizard_action"
    )
    _paper_wizard_field = "acceptance_id"

    # --- the customer's answer (the other fields: the signed mixin)
    signer_partner_id = fields.Many2one(
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
    paper_scan = fields.Binary(string="Signed Paper Form")

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the forms to the customer's contact: an e-mail in the
        contact's language with the link to the portal page where they sign
        or ask for rectification. The deliverables' work is finished first
        (or a manager allowed its acceptance with a reason: a manager
        sending unfinished work gets that dialog)."""
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
        self._check_send_contact()
        unfinished = self._get_unfinished_work()
        if unfinished:
            return self._refuse_unfinished_work(
                [text for work in unfinished.values() for text in work],
                acceptance=self if len(self) == 1 else None,
                wizard=len(self) == 1,
            )
        # the customer opens the deliverables' files from the link without
        # logging in: tokens on the attachments, which the sender may read
        # (checked when they were linked, see the line's _check_attachments)
        self.line_ids.attachment_ids.sudo().generate_access_token()
        return self._send_to_customer(
            "helpdesk_service_agreement.mail_template_service_acceptance"
        )

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
    # The customer's answer (helpdesk.service.signed.mixin)
    # ------------------------------------------------------------------

    def _signed_message(self, key, **params):
        match key:
            case "not_answerable":
                return self.env._(
                    "%(form)s is not waiting for an answer: it is %(state)s.",
                    form=params["document"],
                    state=params["state"],
                )
            case "already_answered":
                return self.env._(
                    "%(form)s is not waiting for an answer: it was already "
                    "answered (%(state)s).",
                    form=params["document"],
                    state=params["state"],
                )
            case "no_email":
                return self.env._(
                    "%(form)s needs a customer contact with an e-mail address.",
                    form=params["document"],
                )
            case "missing_name":
                return self.env._("Enter your name to sign the form.")
            case "missing_signature":
                return self.env._("Draw your signature to sign the form.")
            case "signed":
                return self.env._(
                    "Acceptance form signed by %(name)s: every deliverable passed.",
                    name=params["name"],
                )
            case "paper_state":
                return self.env._(
                    "%(form)s was already answered (%(state)s): a signed paper "
                    "form is recorded on a form waiting for the customer.",
                    form=params["document"],
                    state=params["state"],
                )
            case "paper_missing":
                return self.env._(
                    "A signed paper form needs its scan, the signer and the date."
                )
            case "paper_future":
                return self.env._("A paper form cannot be signed in the future.")
            case "paper_recorded":
                return self.env._(
                    "Signed paper form recorded: signed by %(signer)s on %(date)s.",
                    signer=params["signer"],
                    date=params["date"],
                )
        return super()._signed_message(key, **params)

    def _portal_accept(self, name, signature, signer_partner):
        """The customer accepts every deliverable and signs with their name
        and a drawn signature (base64 image). The signed copy is attached in
        the chatter."""
        return self._portal_sign(name, signature, signer_partner)

    def _record_paper_form(self, scan, filename, signer, date, signer_partner):
        """Staff record the form the customer signed on paper: every
        deliverable passed."""
        return self._record_paper_signature(
            scan, filename, signer, date, signer_partner
        )

    def _check_paper_recordable(self):
        result = super()._check_paper_recordable()
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "%(form)s lists no deliverable to accept.", form=self.display_name
                )
            )
        return result

    def _signed_write(self, values):
        """Every deliverable passed: the form is accepted and final."""
        with system_write(*LINE_ANSWER_FIELDS):
            self.line_ids.write({"result": "pass", "rectification_reason": False})
        self.write(dict(values, state="accepted"))

    def _after_signed(self):
        result = super()._after_signed()
        self._notify_tickets(
            self.env._(
                "The customer accepted the deliverables: acceptance form %(form)s "
                "passed.",
                form=self.name,
            )
        )
        self._after_accept()
        return result

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
        self._lock_for_answer()
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
        the whole deliverables list (the failed deliverables to rework, the
        passed ones passed, with the round they passed in), the tickets back
        in progress and a to-do for the responsible."""
        self.ensure_one()
        failed = self.line_ids.filtered(lambda line: line.result == "fail")
        with system_write(
            "round",
            "previous_id",
            "next_id",
            "previous_line_id",
            "result",
            "customer_remark",
        ):
            successor = self.create(
                {
                    "ticket_ids": [Command.set(self.ticket_ids.ids)],
                    "contact_id": self.contact_id.id,
                    "user_id": self.user_id.id,
                    "company_id": self.company_id.id,
                    "round": self.round + 1,
                    "previous_id": self.id,
                    "line_ids": [
                        Command.create(line._next_round_values())
                        for line in self.line_ids
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
