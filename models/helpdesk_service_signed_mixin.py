# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A document the customer answers: sent with a link, signed on the portal
(name and drawn signature) or on paper (a scan recorded by staff), final once
answered.

A model inherits ``helpdesk.service.signed.mixin`` (the service plan, the
acceptance form, the next signed document) and gets the signature and paper
fields, the sending with an access token, the check of the drawn signature,
the online signature with its signed PDF copy in the chatter and the paper
record, each locked against a second answer sent at the same time. The model
has a ``state`` with ``sent`` (waiting for the customer), ``partner_id`` (the
customer) and ``contact_id`` (the contact who gets the link); it says what
differs through the attributes and hooks below, among them its wording
(``_signed_message``). The portal side is controllers/portal_signed.py, the
paper wizard wizards/helpdesk_service_signed_paper_wizard.py.
"""

import base64
import binascii
import io

from PIL import Image

from odoo import fields, models
from odoo.exceptions import LockError, UserError

from .helpdesk_service_evidence_mixin import EVIDENCE_FILES
from .system_fields import system_write

# what a drawn signature may be (the portal's signature pad sends a PNG), and
# how many pixels its header may announce: checked before any decoding
SIGNATURE_FORMATS = ("PNG", "JPEG")
SIGNATURE_MAX_PIXELS = 4096 * 4096
# written only by the answer's own methods (each model adds them to the
# system fields its create/write refuse from users)
SIGNED_SYSTEM_FIELDS = frozenset(
    {
        "state",
        "signed_by",
        "signed_on",
        "signature",
        "signer_partner_id",
        "paper_scan",
        "paper_scan_filename",
        "paper_signer",
        "paper_date",
    }
)


class HelpdeskServiceSignedMixin(models.AbstractModel):
    _name = "helpdesk.service.signed.mixin"
    _description = "Service Document Answered by the Customer"
    _inherit = ["portal.mixin", "mail.thread", "helpdesk.service.evidence.mixin"]

    # the field of the day the customer answered (online or on paper)
    _answer_date_field = None
    # the states of a document the customer answered: a second answer is
    # refused as such
    _answered_states = ()
    # the states in which staff record a signed paper copy
    _paper_states = ("sent",)
    # the report whose PDF is the signed copy posted in the chatter
    _signed_report = None
    # the paper wizard's action and the wizard's field of the document
    _paper_wizard_action = None
    _paper_wizard_field = None

    # --- the customer's signature online
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
    )
    # --- a copy signed on paper
    paper_scan = fields.Binary(readonly=True, copy=False, attachment=True)
    paper_scan_filename = fields.Char(readonly=True, copy=False)
    paper_signer = fields.Char(string="Paper Signed By", readonly=True, copy=False)
    paper_date = fields.Date(string="Paper Signed On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    def _signed_message(self, key, **params):
        """The model's wording of the flow, by ``key``: ``not_answerable``
        and ``already_answered`` (document, state), ``no_email`` (document),
        ``missing_name``, ``missing_signature``, ``signed`` (name),
        ``paper_state`` (document, state), ``paper_missing``,
        ``paper_future``, ``paper_recorded`` (signer, date)."""
        raise NotImplementedError(key)

    def _portal_shown(self):
        """Whether the customer sees this document on the portal."""
        self.ensure_one()
        return self.state != "draft"

    def _signed_write(self, values):
        """Write the answer ``values`` that makes the document final (with
        its state); runs inside ``system_write`` for them and the files."""
        raise NotImplementedError

    def _after_signed(self):
        """Run once the customer signed, online or on paper."""

    def _signed_copy_filename(self):
        self.ensure_one()
        return f"{self.name}.pdf"

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _mail_get_partner_fields(self, introspect_fields=False):
        """The customer's contact gets the document's e-mails, not the
        company."""
        return ["contact_id"]

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _check_send_contact(self):
        """A document goes to a customer contact with an e-mail address."""
        for document in self:
            if not document.contact_id.email:
                raise UserError(
                    document._signed_message("no_email", document=document.display_name)
                )

    def _send_to_customer(self, template_xmlid):
        """Send the documents to the customer's contact: an e-mail in the
        contact's language with the link (and its token) to the portal page
        where they answer. The model checks its preconditions first (among
        them _check_send_contact)."""
        for document in self:
            document._portal_ensure_token()
        with system_write("state"):
            self.write({"state": "sent"})
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if template:
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_open_paper_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(self._paper_wizard_action)
        action["context"] = {f"default_{self._paper_wizard_field}": self.id}
        return action

    # ------------------------------------------------------------------
    # The customer's answer
    # ------------------------------------------------------------------

    def _lock_for_answer(self):
        """Lock the document's row until the transaction ends and read it
        again: of two answers sent at the same time, the second waits for
        nothing and hears that the document is being or was answered (a
        concurrent answer committed meanwhile makes the request retry, and
        the retry reads the answered state)."""
        self.ensure_one()
        try:
            self.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "%(document)s is already being answered: reload the page in a "
                    "moment to see the answer.",
                    document=self.display_name,
                )
            ) from None
        # what decides whether it may be answered, as the lock holder left it
        self.invalidate_recordset(["state"])

    def _check_answerable(self):
        """Only a document sent to the customer and not answered yet is
        answered."""
        self.ensure_one()
        if self.state == "sent":
            return
        key = "already_answered" if self.state in self._answered_states else None
        raise UserError(
            self._signed_message(
                key or "not_answerable",
                document=self.display_name,
                state=self._state_label(),
            )
        )

    def _check_signature_image(self, signature):
        """A drawn signature is a PNG or JPEG image of at most
        SIGNATURE_MAX_PIXELS: the size its header announces is checked
        before a pixel is decoded (a small file may announce a huge image);
        anything undecodable is refused the same way, in the user's
        language."""
        try:
            data = base64.b64decode(signature, validate=True)
            # reads the header only; PIL itself refuses (or, when told to,
            # warns of) far larger sizes than ours
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                valid = (
                    image.format in SIGNATURE_FORMATS
                    and 0 < width * height <= SIGNATURE_MAX_PIXELS
                )
                if valid:
                    image.verify()
            if valid:
                # verify() leaves the image unusable: decode a fresh one, its
                # size now known to be small
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
        except (
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            binascii.Error,
            EOFError,
            OSError,
            SyntaxError,
            TypeError,
            ValueError,
            MemoryError,
        ):
            valid = False
        if not valid:
            raise UserError(self.env._("The signature is not a valid image."))

    def _portal_sign(self, name, signature, signer_partner):
        """The customer signs with their name and a drawn signature (base64
        image): the document is answered and final, and its signed copy is
        posted in the chatter."""
        self.ensure_one()
        self._lock_for_answer()
        self._check_answerable()
        name = name.strip() if isinstance(name, str) else ""
        if not name:
            raise UserError(self._signed_message("missing_name"))
        if not signature:
            raise UserError(self._signed_message("missing_signature"))
        self._check_signature_image(signature)
        self._sign(
            {
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
                "signature": signature,
                "signer_partner_id": signer_partner.id,
                self._answer_date_field: fields.Date.context_today(self),
            }
        )
        # the signer passed the document's access check; the signed copy is
        # the document as printed for its customer, posted once the document
        # is final: the evidence guard protects it from then on
        pdf = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(self._signed_report, self.ids)[0]
        )
        self.message_post(
            body=self._signed_message("signed", name=name),
            attachments=[(self._signed_copy_filename(), pdf)],
            author_id=signer_partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _check_paper_recordable(self):
        """A signed paper copy is recorded on a document in _paper_states."""
        self.ensure_one()
        if self.state not in self._paper_states:
            raise UserError(
                self._signed_message(
                    "paper_state",
                    document=self.display_name,
                    state=self._state_label(),
                )
            )

    def _record_paper_signature(self, scan, filename, signer, date, signer_partner):
        """Staff record the copy the customer signed on paper (the scan, who
        signed, when, and the contact who signed if known: the document's
        contact otherwise)."""
        self.ensure_one()
        self._lock_for_answer()
        self._check_paper_recordable()
        signer = signer.strip() if isinstance(signer, str) else ""
        date = fields.Date.to_date(date)
        if not scan or not signer or not date:
            raise UserError(self._signed_message("paper_missing"))
        if date > fields.Date.context_today(self):
            raise UserError(self._signed_message("paper_future"))
        self._sign(
            {
                "paper_scan": scan,
                "paper_scan_filename": filename,
                "paper_signer": signer,
                "paper_date": date,
                "signer_partner_id": (signer_partner or self.contact_id).id,
                self._answer_date_field: date,
            }
        )
        self.message_post(
            body=self._signed_message(
                "paper_recorded", signer=signer, date=fields.Date.to_string(date)
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _sign(self, values):
        """Write the signature (online or paper) and the state that makes the
        document final in one go: the files are written as the record becomes
        final evidence, which only this server code may do."""
        with system_write("state", EVIDENCE_FILES, *values):
            self._signed_write(values)
        self._after_signed()
