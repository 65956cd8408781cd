# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import importlib.util
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.misc import file_path

from .acceptance_common import ACCEPTANCE, AcceptanceCommon
from .common import MODULE

SCAN = base64.b64encode(b"%PDF-1.4 signed paper form").decode()
MIGRATION = "helpdesk_service_agreement/migrations/19.0.1.5.0/post-migrate.py"


def load_migration():
    spec = importlib.util.spec_from_file_location("hsa_migration", file_path(MIGRATION))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestAcceptance(AcceptanceCommon):
    """The acceptance form from request to answer: prepared from tickets,
    sent, accepted or sent back for rectification in rounds, final once
    answered, and the gate that keeps tickets open until their acceptance."""

    def _rectify(self, acceptance, fail=None):
        """The customer fails ``fail`` (the first line by default) and passes
        the others."""
        fail = fail or acceptance.line_ids[:1]
        answers = {
            line.id: (
                {"result": "fail", "reason": f"{line.deliverable} still fails"}
                if line in fail
                else {"result": "pass", "remark": "Fine."}
            )
            for line in acceptance.line_ids
        }
        return acceptance.sudo()._portal_request_rectification(answers, self.contact)

    def _record_paper(self, acceptance, user=None, date=None):
        wizard = Form(
            self.env["helpdesk.service.acceptance.paper.wizard"]
            .with_user(user or self.agent)
            .with_context(default_acceptance_id=acceptance.id)
        )
        wizard.paper_scan = SCAN
        if date:
            wizard.paper_date = date
        wizard.save().action_record()

    # ------------------------------------------------------------------
    # Preparing and sending
    # ------------------------------------------------------------------

    def test_request_from_a_ticket(self):
        self.assertEqual(self.ticket.agreement_id, self.agreement)
        acceptance = self._request(self.ticket)
        self.assertRegex(acceptance.name, r"^YS\d{4}-\d{4}$")
        self.assertEqual(acceptance.state, "draft")
        self.assertEqual(acceptance.round, 1)
        self.assertEqual(acceptance.partner_id, self.customer)
        self.assertEqual(acceptance.contact_id, self.contact)
        self.assertEqual(acceptance.agreement_id, self.agreement)
        self.assertEqual(acceptance.company_id, self.company)
        self.assertEqual(acceptance.user_id, self.agent)
        self.assertEqual(acceptance.line_ids.deliverable, "Printer down")
        self.assertIn("It does not print.", acceptance.line_ids.description)
        self.assertEqual(acceptance.line_ids.ticket_id, self.ticket)
        self.assertEqual(self.ticket.with_user(self.agent).acceptance_count, 1)
        # asked again: the form waiting for the customer opens
        self.assertEqual(self._request(self.ticket), acceptance)
        # the next form has the next number of the company's sequence
        other = self._request(self.ticket_2)
        self.assertGreater(other.name, acceptance.name)

    def test_several_tickets_of_one_customer(self):
        acceptance = self._request(self.ticket | self.ticket_2)
        self.assertEqual(acceptance.ticket_ids, self.ticket | self.ticket_2)
        self.assertEqual(
            acceptance.line_ids.mapped("deliverable"),
            ["Printer down", "Scanner jammed"],
        )
        other_customer = self.env["res.partner"].create(
            {"name": "HSA Other Customer", "is_company": True}
        )
        foreign = self._create_ticket(partner_id=other_customer.id)
        with self.assertRaises(UserError):
            (self.ticket | foreign).with_user(self.agent).action_request_acceptance()
        # nor over RPC, and a ticket is in one pending form at a time
        Acceptance = self.env[ACCEPTANCE].with_user(self.agent)
        with self.assertRaises(ValidationError):
            Acceptance.create(
                {"ticket_ids": [Command.set((self.ticket_2 | foreign).ids)]}
            )
        with self.assertRaises(ValidationError):
            Acceptance.create({"ticket_ids": [Command.set(self.ticket.ids)]})
        with self.assertRaises(ValidationError):
            Acceptance.create({"ticket_ids": []})

    def test_request_from_the_ticket_list(self):
        action = self.env.ref(f"{MODULE}.helpdesk_ticket_action_request_acceptance")
        self.assertEqual(action.binding_model_id.model, "helpdesk.ticket")
        tickets = self.ticket | self.ticket_2
        result = (
            action.with_user(self.agent)
            .with_context(active_model="helpdesk.ticket", active_ids=tickets.ids)
            .run()
        )
        acceptance = self.env[ACCEPTANCE].browse(result["res_id"])
        self.assertEqual(acceptance.ticket_ids, tickets)
        self.assertEqual(len(acceptance.line_ids), 2)

    def test_form_in_the_backend(self):
        form = Form(self.env[ACCEPTANCE].with_user(self.agent))
        form.ticket_ids.add(self.ticket_2)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.contact_id, self.contact)
        with form.line_ids.new() as line:
            line.deliverable = "Feeder replaced"
            line.acceptance_standard = "50 sheets without a jam."
        acceptance = form.save()
        self.assertRegex(acceptance.name, r"^YS\d{4}-\d{4}$")
        self.assertEqual(acceptance.line_ids.deliverable, "Feeder replaced")

    def test_send(self):
        acceptance = self._request(self.ticket)
        self.contact.email = False
        with self.assertRaises(UserError):
            acceptance.with_user(self.agent).action_send()
        self.contact.email = "hsa.contact@example.com"
        empty = self._request(self.ticket_2)
        empty.line_ids.with_user(self.agent).unlink()
        with self.assertRaises(UserError):
            empty.with_user(self.agent).action_send()
        acceptance.with_user(self.agent).action_send()
        self.assertEqual(acceptance.state, "sent")
        message = acceptance.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )[:1]
        self.assertIn(self.contact, message.partner_ids)
        self.assertIn(acceptance.name, message.subject)
        self.assertIn(
            f"/my/acceptances/{acceptance.id}?access_token={acceptance.access_token}",
            message.body,
        )
        with self.assertRaises(UserError):
            acceptance.with_user(self.agent).action_send()

    def test_sent_form_is_what_the_customer_signs(self):
        acceptance = self._sent()
        Agent = acceptance.with_user(self.agent)
        for vals in (
            {"contact_id": self.contact.id},
            {"ticket_ids": [Command.link(self.ticket_2.id)]},
            {"line_ids": [Command.create({"deliverable": "Sneaked in"})]},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                Agent.write(vals)
        with self.assertRaises(UserError):
            Agent.line_ids.write({"acceptance_standard": "Lowered"})
        with self.assertRaises(UserError):
            Agent.line_ids.unlink()
        # the responsible and the internal notes stay the team's
        Agent.write({"user_id": self.lead.id, "internal_note": "<p>Call first.</p>"})
        Agent.action_reset_draft()
        self.assertEqual(acceptance.state, "draft")
        Agent.line_ids.write({"acceptance_standard": "Prints 30 pages a minute."})

    # ------------------------------------------------------------------
    # Rectification rounds
    # ------------------------------------------------------------------

    def test_rectification_opens_the_next_round(self):
        attachment = self.env["ir.attachment"].create(
            {"name": "test-report.txt", "raw": b"20 pages a minute"}
        )
        acceptance = self._request(self.ticket | self.ticket_2)
        acceptance.line_ids[0].attachment_ids = attachment
        acceptance.line_ids.write({"acceptance_standard": "Works."})
        acceptance.with_user(self.agent).action_send()
        self.assertTrue(attachment.access_token, "the customer opens the file")
        (self.ticket | self.ticket_2).stage_id = self.stage_new
        failed = acceptance.line_ids[0]
        successor = self._rectify(acceptance, failed)

        self.assertEqual(acceptance.state, "rectify")
        self.assertEqual(failed.result, "fail")
        self.assertEqual(failed.rectification_reason, "Printer down still fails")
        self.assertEqual(acceptance.line_ids[1].result, "pass")
        self.assertEqual(acceptance.line_ids[1].customer_remark, "Fine.")
        self.assertEqual(acceptance.signer_partner_id, self.contact)
        self.assertEqual(acceptance.answer_date, fields.Date.today())
        # the next round: a draft with the whole deliverables list, the
        # failed deliverable to rework, the passed one passed in round 1
        self.assertEqual(acceptance.next_id, successor)
        self.assertEqual(successor.previous_id, acceptance)
        self.assertEqual(successor.round, 2)
        self.assertEqual(successor.state, "draft")
        self.assertEqual(successor.ticket_ids, acceptance.ticket_ids)
        self.assertEqual(successor.contact_id, self.contact)
        self.assertEqual(successor.user_id, self.agent)
        self.assertRegex(successor.name, r"^YS\d{4}-\d{4}$")
        line, kept = successor.line_ids
        self.assertEqual(kept.previous_line_id, acceptance.line_ids[1])
        self.assertEqual((kept.result, kept.passed_round), ("pass", 1))
        self.assertEqual(kept.customer_remark, "Fine.")
        self.assertEqual(line.deliverable, "Printer down")
        self.assertEqual(line.acceptance_standard, "Works.")
        self.assertEqual(line.attachment_ids, attachment)
        self.assertEqual(line.previous_line_id, failed)
        self.assertEqual(line.previous_reason, "Printer down still fails")
        self.assertFalse(line.result)
        # the tickets are reworked, and the responsible has a to-do
        self.assertEqual(self.ticket.stage_id, self.stage_progress)
        self.assertEqual(self.ticket_2.stage_id, self.stage_progress)
        activity = successor.activity_ids
        self.assertEqual(activity.user_id, self.agent)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertIn("Printer down still fails", activity.note)
        self.assertEqual(successor._get_previous_rounds(), acceptance)
        # the second round goes out and passes
        successor.with_user(self.agent).action_send()
        self._record_paper(successor)
        self.assertEqual(successor.state, "accepted")
        self.assertEqual(successor.line_ids.mapped("passed_round"), [2, 1])
        self.assertEqual(
            self._request(self.ticket).previous_id, self.env[ACCEPTANCE], "a new form"
        )

    def test_bad_rectification_answers_write_nothing(self):
        acceptance = self._sent(self.ticket | self.ticket_2)
        first, second = acceptance.line_ids
        for answers in (
            # a failure without its reason
            {
                first.id: {"result": "fail", "reason": "  "},
                second.id: {"result": "pass"},
            },
            # a deliverable left unmarked
            {first.id: {"result": "fail", "reason": "Broken"}},
            # a result outside the list
            {first.id: {"result": "fail", "reason": "x"}, second.id: {"result": "ok"}},
            # nothing failed: that is a signature
            {first.id: {"result": "pass"}, second.id: {"result": "pass"}},
        ):
            with self.subTest(answers=answers), self.assertRaises(UserError):
                acceptance.sudo()._portal_request_rectification(answers, self.contact)
        self.assertEqual(acceptance.state, "sent")
        self.assertFalse(any(acceptance.line_ids.mapped("result")))
        self.assertFalse(acceptance.next_id)

    # ------------------------------------------------------------------
    # Signed paper form
    # ------------------------------------------------------------------

    def test_signed_paper_form(self):
        acceptance = self._sent(self.ticket | self.ticket_2)
        with self.assertRaises(UserError):
            self._record_paper(acceptance, date=fields.Date.today() + timedelta(days=1))
        self._record_paper(acceptance)
        self.assertEqual(acceptance.state, "accepted")
        self.assertEqual(acceptance.paper_signer, "HSA Contact")
        self.assertEqual(acceptance.paper_date, fields.Date.today())
        self.assertEqual(acceptance.paper_scan.decode(), SCAN)
        self.assertEqual(acceptance.signer_partner_id, self.contact)
        self.assertEqual(set(acceptance.line_ids.mapped("result")), {"pass"})
        self.assertFalse(acceptance.signature)
        with self.assertRaises(UserError):
            self._record_paper(acceptance)

    # ------------------------------------------------------------------
    # Final once answered
    # ------------------------------------------------------------------

    def _final_forms(self):
        accepted = self._sent(self.ticket)
        self._record_paper(accepted)
        rectified = self._sent(self.ticket_2)
        self._rectify(rectified)
        return accepted | rectified

    def test_answered_form_is_final_for_everyone(self):
        forms = self._final_forms()
        for user in (self.agent, self.manager, self.env.ref("base.user_admin")):
            for acceptance in forms:
                records = acceptance.with_user(user)
                for vals in (
                    {"user_id": self.lead.id},
                    {"internal_note": "<p>Changed afterwards</p>"},
                    {"contact_id": self.contact.id},
                ):
                    with (
                        self.subTest(user=user.login, vals=vals),
                        self.assertRaises(UserError),
                    ):
                        records.write(vals)
                # the agent deletes no form at all; nobody deletes this one
                with self.assertRaises(
                    AccessError if user == self.agent else UserError
                ):
                    records.unlink()
                with self.assertRaises(UserError):
                    records.line_ids.write({"deliverable": "Rewritten"})
                with self.assertRaises(UserError):
                    records.line_ids.unlink()
        # the superuser too, system fields included
        for acceptance in forms.sudo():
            for vals in ({"state": "draft"}, {"signed_by": "Forger"}, {"round": 7}):
                with self.subTest(vals=vals), self.assertRaises(UserError):
                    acceptance.write(vals)
            with self.assertRaises(UserError):
                acceptance.unlink()
            with self.assertRaises(UserError):
                acceptance.line_ids.write({"result": "pass"})
            with self.assertRaises(UserError):
                self.env["helpdesk.service.acceptance.line"].sudo().create(
                    {"acceptance_id": acceptance.id, "deliverable": "Late"}
                )
        self.assertEqual(forms.mapped("state"), ["accepted", "rectify"])
        # the chatter and the customer's links still work
        accepted = forms[0].with_user(self.agent)
        accepted.message_post(
            body="Filed.",
            attachments=[("note.txt", b"filed")],
            subtype_xmlid="mail.mt_note",
        )
        self.assertTrue(accepted.get_portal_url())
        # a ticket of a form the customer answered stays
        with self.assertRaises(UserError):
            self.ticket.with_user(self.manager).unlink()

    # ------------------------------------------------------------------
    # Closing gate
    # ------------------------------------------------------------------

    def test_closing_waits_for_the_acceptance(self):
        tickets = (self.ticket | self.ticket_2).with_user(self.agent)
        with self.assertRaisesRegex(UserError, "Printer down"):
            tickets.write({"stage_id": self.stage_done.id})
        with self.assertRaises(UserError):
            self.ticket.with_user(self.manager).stage_id = self.stage_done
        self.assertFalse(self.ticket.stage_id.closed)
        # a form waiting for the customer is no acceptance
        acceptance = self._sent(self.ticket)
        with self.assertRaises(UserError):
            self.ticket.with_user(self.agent).stage_id = self.stage_done
        self._record_paper(acceptance)
        with self.assertRaises(UserError) as error:
            tickets.write({"stage_id": self.stage_done.id})
        self.assertIn("Scanner jammed", str(error.exception))
        self.assertNotIn("Printer down", str(error.exception))
        self.ticket.with_user(self.agent).stage_id = self.stage_done
        self.assertTrue(self.ticket.closed)

    def test_closing_as_before_without_the_requirement(self):
        self.agreement.with_user(self.manager).acceptance_required = False
        self.ticket_2.with_user(self.agent).stage_id = self.stage_done
        self.assertTrue(self.ticket_2.closed)
        # a ticket without agreement closes as before
        customer = self.env["res.partner"].create(
            {"name": "HSA Walk-in", "is_company": True}
        )
        ticket = self._create_ticket(partner_id=customer.id)
        self.assertFalse(ticket.agreement_id)
        ticket.with_user(self.agent).stage_id = self.stage_done
        self.assertTrue(ticket.closed)

    def _gate_queries(self, ticket_ids):
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env.invalidate_all()
            tickets = self.env["helpdesk.ticket"].browse(ticket_ids)
            before = self.cr.sql_log_count
            try:
                tickets._check_acceptance_before_closing(self.stage_done.id)
            finally:
                count = self.cr.sql_log_count - before
        return count

    def test_closing_gate_cost_does_not_grow_with_the_batch(self):
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Batch {n}",
                    "description": "x",
                    "partner_id": self.contact.id,
                }
                for n in range(20)
            ]
        )
        self.env.flush_all()
        self.assertEqual(
            self._gate_queries(tickets[:1].ids), self._gate_queries(tickets.ids)
        )
        # an open stage costs nothing more than reading it
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        tickets._check_acceptance_before_closing(self.stage_progress.id)
        self.assertLessEqual(self.cr.sql_log_count - before, 1)

    # ------------------------------------------------------------------
    # Agreement flag and migration
    # ------------------------------------------------------------------

    def test_new_agreements_require_acceptance(self):
        agreement = self.env["agreement"].create(
            {"name": "HSA New", "code": "HSA-NEW-1", "partner_id": self.customer.id}
        )
        self.assertTrue(agreement.acceptance_required)
        view = self.env.ref("helpdesk_service_agreement.agreement_view_form")
        self.assertIn('name="acceptance_required"', view.arch_db)

    def test_upgrade_keeps_closing_existing_agreements(self):
        migration = load_migration()
        new = self.env["agreement"].create(
            {
                "name": "HSA Upgraded",
                "code": "HSA-UPG-1",
                "partner_id": self.customer.id,
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE agreement SET create_date = create_date - interval '1 day' "
            "WHERE id = %s",
            [self.agreement.id],
        )
        migration.migrate(self.env.cr, "19.0.1.4.0")
        self.env.invalidate_all()
        self.assertFalse(self.agreement.acceptance_required, "existed before")
        self.assertTrue(new.acceptance_required, "created by the upgrade itself")
        # the shipped template passes the default on to new agreements
        template = self.env.ref(f"{MODULE}.agreement_template_default")
        self.assertTrue(template.acceptance_required)
        agreement = self.env["agreement"].create(
            {
                "name": "HSA From Template",
                "code": "HSA-UPG-2",
                "partner_id": self.customer.id,
                "template_id": template.id,
            }
        )
        self.assertTrue(agreement.acceptance_required)
        template.acceptance_required = False
        agreement = self.env["agreement"].create(
            {
                "name": "HSA From Template",
                "code": "HSA-UPG-3",
                "partner_id": self.customer.id,
                "template_id": template.id,
            }
        )
        self.assertFalse(agreement.acceptance_required, "the template's choice")


@tagged("post_install", "-at_install")
class TestAcceptanceSendingCost(AcceptanceCommon):
    """Sending forms costs per form no more than mail's own work (the e-mail
    rendered and posted per form): the checks, tokens and state change are
    done for the batch."""

    def _forms(self, count):
        Ticket = self.env["helpdesk.ticket"]
        forms = self.env[ACCEPTANCE]
        for index in range(count):
            ticket = Ticket.create(
                {
                    "name": f"Cost {count}-{index}",
                    "description": "<p>x</p>",
                    "partner_id": self.contact.id,
                }
            )
            forms |= self._request(ticket)
        return forms

    def _send_count(self, forms):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        forms.with_user(self.agent).action_send()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_sending_one_or_fifty_forms(self):
        one = self._send_count(self._forms(1))
        forms = self._forms(50)
        fifty = self._send_count(forms)
        self.assertEqual(set(forms.mapped("state")), {"sent"})
        self.assertEqual(len(forms.mapped("access_token")), 50)
        per_form = (fifty - one) / 49
        # the e-mail of a form (render, post, notify the contact) is mail's
        # own: about 20 queries; nothing of the addon grows per form beyond it
        self.assertLessEqual(per_form, one, (one, fifty))
        self.assertLessEqual(per_form, 30, (one, fifty))
