# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer-answer flow written once (helpdesk.service.signed.mixin):
both the acceptance form and the service plan use it, and both refuse bad
input cleanly — a signature image announcing too many pixels (a
decompression bomb) or not decodable, a second signature, a signature sent
while another one is being written."""

import base64
import json
import struct
import zlib
from unittest.mock import patch

from PIL import ImageFile

from odoo.exceptions import LockError, UserError
from odoo.tests import HttpCase, tagged

from .acceptance_common import ACCEPTANCE, signature_png
from .plan_common import PLAN, PlanCommon

SIGNED_MIXIN = "helpdesk.service.signed.mixin"
PAPER_WIZARD_BASE = "helpdesk.service.signed.paper.wizard"
INVALID = "The signature is not a valid image."


def png_announcing(width, height):
    """A PNG of a few dozen bytes whose header announces ``width`` x
    ``height`` pixels: decoding it would allocate them all."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(data).decode()


def truncated_png():
    """A real signature cut in the middle of its pixel data."""
    data = base64.b64decode(signature_png())
    return base64.b64encode(data[: len(data) // 2]).decode()


# what a signature may not be, by name
BAD_SIGNATURES = {
    "bomb": png_announcing(30000, 30000),
    "over our limit": png_announcing(5000, 5000),
    "empty image": png_announcing(0, 0),
    "truncated": truncated_png(),
    "not an image": base64.b64encode(b"%PDF-1.4 not a drawing").decode(),
    "not base64": "data:image/png;base64,@@@",
}


class SignedCommon(PlanCommon):
    def _documents(self):
        """A sent acceptance form and a sent service plan, with the method
        by which the customer signs each."""
        acceptance = self._sent()
        plan = self._sent_plan(self.ticket_2)
        return (
            (acceptance, acceptance.sudo()._portal_accept),
            (plan, plan.sudo()._portal_confirm),
        )

    def _assert_unsigned(self, document):
        document.invalidate_recordset()
        self.assertEqual(document.state, "sent")
        self.assertFalse(document.signed_by)
        self.assertFalse(document.signature)
        self.assertFalse(document.signer_partner_id)


class TestSignedMixin(SignedCommon):
    def test_both_documents_and_wizards_use_the_mixin(self):
        for model, wizard in (
            (ACCEPTANCE, "helpdesk.service.acceptance.paper.wizard"),
            (PLAN, "helpdesk.service.plan.paper.wizard"),
        ):
            with self.subTest(model=model):
                self.assertIsInstance(self.env[model], self.registry[SIGNED_MIXIN])
                self.assertIsInstance(
                    self.env[wizard], self.registry[PAPER_WIZARD_BASE]
                )
                # the flow's methods are the mixin's, not copies
                for method in ("_portal_sign", "_check_signature_image", "_sign"):
                    self.assertIs(
                        getattr(type(self.env[model]), method),
                        getattr(self.registry[SIGNED_MIXIN], method),
                    )

    def test_bad_signature_refused_before_decoding(self):
        for document, sign in self._documents():
            for label, signature in BAD_SIGNATURES.items():
                with self.subTest(model=document._name, signature=label):
                    with self._refused(UserError, INVALID):
                        sign("Wang Wei", signature, self.contact)
                    self._assert_unsigned(document)
            # the header announces too much: no pixel is decoded
            with (
                self.subTest(model=document._name, signature="no decoding"),
                patch.object(
                    ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")
                ),
                self._refused(UserError, INVALID),
            ):
                sign("Wang Wei", png_announcing(5000, 5000), self.contact)
            # a good signature still signs
            sign("Wang Wei", signature_png(), self.contact)
            self.assertEqual(document.signed_by, "Wang Wei")
            self.assertTrue(document.signature)

    def test_bad_signature_refused_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_service_agreement"], ["zh_CN"], overwrite=True
        )
        for document, _sign in self._documents():
            with self.subTest(model=document._name):
                chinese = document.sudo().with_context(lang="zh_CN")
                with self._refused(UserError, "签名不是有效的图片"):
                    chinese._portal_sign("王小明", BAD_SIGNATURES["bomb"], self.contact)
                self._assert_unsigned(document)

    def test_second_signature_already_answered(self):
        for document, sign in self._documents():
            with self.subTest(model=document._name):
                sign("Wang Wei", signature_png(), self.contact)
                signed_on = document.signed_on
                copies = document.message_ids.attachment_ids
                with self._refused(UserError, "already answered"):
                    sign("Li Lei", signature_png(), self.contact)
                document.invalidate_recordset()
                self.assertEqual(document.signed_by, "Wang Wei")
                self.assertEqual(document.signed_on, signed_on)
                self.assertEqual(document.message_ids.attachment_ids, copies)
                self.assertNotIn("Li Lei", str(document.message_ids.mapped("body")))

    def test_concurrent_signature_waits_for_nothing(self):
        """While another request holds the document's row (it is signing
        it), a second signature is refused as such at once, and nothing is
        written: a UserError, not Odoo's "Cannot grab a lock"."""
        for document, sign in self._documents():
            with self.subTest(model=document._name):
                with (
                    patch.object(
                        type(document),
                        "lock_for_update",
                        side_effect=LockError("Cannot grab a lock on records"),
                    ),
                    self._refused(UserError, "already being answered") as catcher,
                ):
                    sign("Li Lei", signature_png(), self.contact)
                self.assertNotIsInstance(catcher.exception, LockError)
                self._assert_unsigned(document)

    def test_signature_takes_the_row_lock(self):
        for document, sign in self._documents():
            with self.subTest(model=document._name):
                Model = type(document)
                with patch.object(
                    Model, "lock_for_update", autospec=True, wraps=Model.lock_for_update
                ) as lock:
                    sign("Wang Wei", signature_png(), self.contact)
                lock.assert_called_once()
                self.assertEqual(lock.call_args.args[0], document)

    def test_signed_copy_is_guarded_evidence(self):
        for document, sign in self._documents():
            with self.subTest(model=document._name):
                sign("Wang Wei", signature_png(), self.contact)
                copy = document.message_ids[0].attachment_ids
                self.assertEqual(len(copy), 1)
                self.assertEqual(
                    (copy.res_model, copy.res_id), (document._name, document.id)
                )
                with self._refused(UserError, "part of the evidence"):
                    copy.sudo().write({"datas": base64.b64encode(b"%PDF forged")})
                with self._refused(UserError, "part of the evidence"):
                    copy.sudo().unlink()


@tagged("post_install", "-at_install")
class TestSignedPortal(SignedCommon, HttpCase):
    """The signing routes answer bad input with an error message, never a
    traceback."""

    def _post_signature(self, document, name, signature):
        route = "accept" if document._name == ACCEPTANCE else "confirm"
        url = f"{document.access_url}/{route}"
        response = self.url_open(
            f"{url}?access_token={document.access_token}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 0,
                    "params": {"name": name, "signature": signature},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        for leak in ("Traceback", "DecompressionBomb", 'File "'):
            self.assertNotIn(leak, response.text)
        answer = response.json()
        self.assertNotIn("error", answer, "a JSON-RPC error: the route failed")
        return answer["result"]

    def test_bomb_over_the_portal(self):
        for document, _sign in self._documents():
            for label in ("bomb", "truncated", "not base64"):
                with self.subTest(model=document._name, signature=label):
                    result = self._post_signature(
                        document, "Wang Wei", BAD_SIGNATURES[label]
                    )
                    self.assertEqual(result, {"error": INVALID})
                    self._assert_unsigned(document)
            # what JSON may carry besides text
            result = self._post_signature(document, {"x": 1}, [signature_png()])
            self.assertIn("error", result)
            self._assert_unsigned(document)

    def test_second_signature_over_the_portal(self):
        for document, _sign in self._documents():
            with self.subTest(model=document._name):
                result = self._post_signature(document, "Wang Wei", signature_png())
                self.assertTrue(result.get("force_refresh"), result)
                result = self._post_signature(document, "Li Lei", signature_png())
                self.assertRegex(result["error"], "already answered")
                document.invalidate_recordset()
                self.assertEqual(document.signed_by, "Wang Wei")
