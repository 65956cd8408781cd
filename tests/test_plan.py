# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .acceptance_common import signature_png
from .plan_common import PLAN, PlanCommon

REQUEST = "helpdesk.service.archive.request"


@tagged("post_install", "-at_install")
class TestServicePlan(PlanCommon):
    """The service plan: numbering, review by the manager, milestones,
    revisions, the frozen confirmed plan, the acceptance form's lines and the
    archive."""

    def test_numbering_per_company_sequence(self):
        first = self._plan()
        second = self._plan(self.ticket_2)
        year = fields.Date.today().year
        self.assertRegex(first.name, rf"^FA{year}-\d{{4}}$")
        self.assertEqual(
            int(second.name.split("-")[-1]), int(first.name.split("-")[-1]) + 1
        )
        self.assertEqual(first.revision, 1)
        self.assertEqual(first.partner_id, self.customer)
        self.assertEqual(first.contact_id, self.contact)
        self.assertEqual(first.agreement_id, self.agreement)
        self.assertEqual(first.user_id, self.agent)

    def test_customer_and_tickets_of_one_customer(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        ticket_other = self._create_ticket(
            name="Other",
            partner_id=self.env["res.partner"]
            .create({"name": "O", "parent_id": other.id})
            .id,
        )
        with self._refused(ValidationError, "tickets of its customer"):
            self._plan(self.ticket | ticket_other)

    def test_agent_submits_manager_approves(self):
        plan = self._plan()
        plan.with_user(self.agent).action_submit()
        self.assertEqual(plan.state, "review")
        # the author, a team lead: only a customer service manager approves
        for user in (self.agent, self.lead):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    plan.with_user(user).action_approve()
                with self.assertRaises(AccessError):
                    plan.with_user(user).action_reject()
        self.assertEqual(plan.state, "review")
        self.assertFalse(plan.approver_id)
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approver_id, self.manager)
        self.assertTrue(plan.approval_date)
        # a plan in review or approved is not edited
        with self._refused(UserError, "set it back to draft"):
            plan.with_user(self.agent).write({"title": "Changed"})

    def test_reject_needs_the_reviewers_remark(self):
        plan = self._plan()
        plan.with_user(self.agent).action_submit()
        with self._refused(UserError, "reviewer's remark"):
            plan.with_user(self.manager).action_reject()
        self.assertEqual(plan.state, "review")
        plan.with_user(self.manager).review_remark = "Add the test protocol."
        plan.with_user(self.manager).action_reject()
        self.assertEqual(plan.state, "draft")
        self.assertIn("Add the test protocol.", plan.message_ids[0].body)
        self.assertTrue(plan.activity_ids.filtered(lambda a: a.user_id == self.agent))
        # the author revises it and submits it again
        plan.with_user(self.agent).write({"title": "With the test protocol"})
        plan.with_user(self.agent).action_submit()
        self.assertEqual(plan.state, "review")

    def test_submit_needs_goals_content_and_standards(self):
        plan = self._plan()
        plan.deliverable_ids[1].with_user(self.agent).acceptance_standard = " "
        with self._refused(UserError, "acceptance standard of Test report"):
            plan.with_user(self.agent).action_submit()
        self.assertEqual(plan.state, "draft")
        plan.deliverable_ids.with_user(self.agent).unlink()
        with self._refused(UserError, "lists no deliverable"):
            plan.with_user(self.agent).action_submit()
        plan = self._plan(goals=False)
        with self._refused(UserError, "still empty: Goals"):
            plan.with_user(self.agent).action_submit()
        self.assertEqual(plan.state, "draft")

    def test_milestones_in_order_within_the_plan(self):
        plan = self._plan()
        first, second = plan.milestone_ids
        with self._refused(ValidationError, "out of order"):
            second.with_user(self.agent).date = date(2026, 3, 2)
        with self._refused(ValidationError, "outside the plan's dates"):
            first.with_user(self.agent).date = date(2026, 2, 27)
        with self._refused(ValidationError, "outside the plan's dates"):
            plan.with_user(self.agent).milestone_ids = [
                Command.create(
                    {"sequence": 3, "name": "Late", "date": date(2026, 4, 2)}
                )
            ]
        with self._refused(ValidationError, "outside the plan's dates"):
            plan.with_user(self.agent).date_end = date(2026, 3, 10)
        with self.assertRaises(ValidationError):
            plan.with_user(self.agent).write(
                {"date_start": date(2026, 4, 1), "date_end": date(2026, 3, 1)}
            )
        self.assertEqual(
            plan.milestone_ids.mapped("date"), [date(2026, 3, 5), date(2026, 3, 20)]
        )
        self.assertEqual(plan.date_end, date(2026, 3, 31))

    def test_send_only_approved(self):
        plan = self._plan()
        with self._refused(UserError, "cannot be sent now"):
            plan.with_user(self.agent).action_send()
        plan = self._sent_plan()
        self.assertEqual(plan.state, "sent")
        self.assertTrue(plan.access_token)
        mail = plan.message_ids.filtered(lambda m: plan.name in (m.subject or ""))
        self.assertTrue(mail)
        self.assertIn(self.contact, mail.partner_ids)
        self.assertIn(plan.get_portal_url(), mail.body)

    def test_changes_requested_back_to_draft(self):
        plan = self._sent_plan()
        with self._refused(UserError, "comments are required"):
            plan.sudo()._portal_request_changes("  ", self.contact)
        self.assertEqual(plan.state, "sent")
        plan.sudo()._portal_request_changes("Start in April.", self.contact)
        self.assertEqual(plan.state, "changes_requested")
        self.assertEqual(plan.change_request, "Start in April.")
        self.assertIn("Start in April.", plan.message_ids[0].body)
        with self._refused(UserError, "set it back to draft"):
            plan.with_user(self.agent).title = "April"
        plan.with_user(self.agent).action_reset_draft()
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.agent).title = "April"
        plan.with_user(self.agent).action_submit()
        self.assertEqual(plan.state, "review")

    def test_paper_confirmation(self):
        plan = self._sent_plan()
        wizard = Form(
            self.env["helpdesk.service.plan.paper.wizard"]
            .with_user(self.agent)
            .with_context(default_plan_id=plan.id)
        )
        wizard.paper_scan = base64.b64encode(b"%PDF-1.4 scan")
        wizard.paper_date = fields.Date.today() + timedelta(days=1)
        record = wizard.save()
        with self._refused(UserError, "in the future"):
            record.action_record()
        self.assertEqual(plan.state, "sent")
        record.paper_date = fields.Date.today()
        record.action_record()
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(plan.paper_signer, "HSA Contact")
        self.assertEqual(plan.signer_partner_id, self.contact)
        self.assertTrue(plan.paper_scan)
        with self._refused(UserError, "a signed confirmation is recorded"):
            plan._record_paper_confirmation(
                base64.b64encode(b"x"), "x.pdf", "Again", fields.Date.today(), None
            )

    def test_confirmed_plan_is_frozen_for_everyone(self):
        plan = self._confirmed()
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(plan.signed_by, "Wang Wei")
        self.assertEqual(plan.signer_partner_id, self.contact)
        self.assertTrue(plan.signature)
        self.assertTrue(plan.confirm_date)
        message = plan.message_ids[0]
        self.assertEqual(message.attachment_ids.name, f"{plan.name}-1.pdf")
        for env in (
            self.env(user=self.agent),
            self.env(user=self.lead),
            self.env(user=self.manager),
            self.env(su=True),
        ):
            label = "superuser" if env.su else env.user.login
            with self.subTest(who=label):
                frozen = plan.with_env(env)
                with self._refused(UserError, "is frozen"):
                    frozen.write({"title": "Changed"})
                with self._refused(UserError, "is frozen"):
                    frozen.deliverable_ids[0].write({"acceptance_standard": "Less"})
                with self._refused(UserError, "is frozen"):
                    frozen.milestone_ids[0].write({"date": date(2026, 3, 6)})
                with self._refused(UserError, "is frozen"):
                    env["helpdesk.service.plan.deliverable"].create(
                        {"plan_id": plan.id, "name": "Extra"}
                    )
                with self._refused(UserError, "is frozen"):
                    frozen.deliverable_ids[0].unlink()
                if env.su or env.user == self.manager:
                    with self._refused(UserError, "draft service plan"):
                        frozen.unlink()
                else:
                    with self.assertRaises(AccessError):
                        frozen.unlink()
        plan.invalidate_recordset()
        self.assertEqual(plan.title, "Office printers replacement")
        self.assertEqual(len(plan.deliverable_ids), 2)
        # nor is it cancelled or answered again
        with self.assertRaises(UserError):
            plan.with_user(self.agent).action_cancel()
        with self._refused(UserError, "not waiting for the customer"):
            plan.sudo()._portal_request_changes("More", self.contact)

    def test_revision_flow(self):
        plan = self._confirmed()
        with self._refused(UserError, "Only a confirmed plan"):
            self._plan(self.ticket_2).with_user(self.agent).action_new_revision()
        action = plan.with_user(self.agent).action_new_revision()
        revision = self.env[PLAN].browse(action["res_id"])
        self.assertEqual(revision.name, plan.name)
        self.assertEqual(revision.revision, 2)
        self.assertEqual(revision.previous_id, plan)
        self.assertEqual(plan.next_id, revision)
        self.assertEqual(revision.state, "draft")
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(
            revision.deliverable_ids.mapped("name"), ["Fuser replaced", "Test report"]
        )
        self.assertEqual(len(revision.milestone_ids), 2)
        self.assertEqual(revision.ticket_ids, plan.ticket_ids)
        self.assertFalse(revision.signature)
        # the fees follow, although the agent may not read them
        self.assertEqual(revision.sudo().fee_amount, 98765.43)
        self.assertEqual(revision.sudo().payment_terms, "Net 30 days")
        self.assertIn(" Rev. 2", revision.display_name)
        # one open revision at a time
        with self._refused(UserError, "already has a later revision"):
            plan.with_user(self.agent).action_new_revision()
        # the revision goes through review and confirmation again
        revision.deliverable_ids[0].with_user(
            self.agent
        ).acceptance_standard = "Prints 25 pages a minute."
        revision.with_user(self.agent).action_submit()
        revision.with_user(self.manager).action_approve()
        revision.with_user(self.agent).action_send()
        revision.sudo()._portal_confirm("Wang Wei", self._signature(), self.contact)
        self.assertEqual(revision.state, "confirmed")
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(revision._get_revisions(), plan | revision)
        self.assertEqual(self.ticket._get_confirmed_service_plan(), revision)

    def _signature(self):
        return signature_png()

    def test_acceptance_lines_from_the_confirmed_plan(self):
        # without a confirmed plan: one line per ticket
        acceptance = self._request(self.ticket_2)
        self.assertEqual(acceptance.line_ids.deliverable, "Scanner jammed")
        self._sent_plan(self.ticket)
        acceptance = self._request(self.ticket)
        self.assertEqual(acceptance.line_ids.deliverable, "Printer down")
        acceptance.unlink()
        plan = self.ticket._get_confirmed_service_plan()
        self.assertFalse(plan)
        plan = self.env[PLAN].search([("ticket_ids", "in", self.ticket.ids)])
        plan.sudo()._portal_confirm("Wang Wei", self._signature(), self.contact)
        # acceptance follows the work: its tasks are done first
        with self._refused(UserError, "finished work only"):
            self._request(self.ticket)
        for task in plan.task_ids:
            self.env["helpdesk.service.plan.quality.check"].with_user(self.lead).create(
                {"task_id": task.id, "criteria": "Works.", "result": "pass"}
            )
        plan.task_ids.with_user(self.agent).write({"state": "1_done"})
        acceptance = self._request(self.ticket)
        self.assertEqual(
            acceptance.line_ids.mapped("deliverable"), ["Fuser replaced", "Test report"]
        )
        self.assertEqual(
            acceptance.line_ids.mapped("acceptance_standard"),
            ["Prints 20 pages a minute.", "Signed by the customer's IT lead."],
        )
        self.assertEqual(acceptance.line_ids.ticket_id, self.ticket)
        self.assertIn("floor 2", acceptance.line_ids[0].description)

    def test_archive_files_the_confirmation(self):
        Request = self.env[REQUEST]
        plan = self._sent_plan()
        with self._refused(UserError, "not final yet"):
            Request._enqueue(
                [
                    (
                        "plan_confirmation",
                        plan,
                        f"plan_confirmation:{plan.id}",
                        plan.partner_id,
                        plan.company_id,
                        self.team_support,
                    )
                ]
            )
        self.assertFalse(Request.search([("res_model", "=", PLAN)]))
        plan.sudo()._portal_confirm("Wang Wei", self._signature(), self.contact)
        requests = Request.search([("res_model", "=", PLAN), ("res_id", "=", plan.id)])
        # the plan as confirmed, and its confirmation
        self.assertEqual(
            sorted(requests.mapped("document_type")), ["plan", "plan_confirmation"]
        )
        request = requests.filtered(lambda r: r.document_type == "plan_confirmation")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.state, "pending")
        # the scheduled filing renders the confirmation into the archive
        self._run_cron(
            "helpdesk_service_agreement.ir_cron_helpdesk_service_archive_file"
        )
        self.env.invalidate_all()
        self.assertEqual(request.state, "filed", request.error)
        document = request.document_id
        self.assertEqual(document.document_type, "plan_confirmation")
        self.assertEqual(document.res_id, plan.id)
        self.assertIn("Service Plan Confirmation", document.file_name)
        # the customer's contacts read it in their archive on the portal
        portal = new_test_user(
            self.env,
            login="hsa_plan_archive_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        self.assertEqual(requests.mapped("state"), ["filed", "filed"])
        Document = self.env["helpdesk.service.archive.document"].with_user(portal)
        self.assertEqual(Document.search([("res_model", "=", PLAN)]), document)

    def test_ticket_button_and_create(self):
        action = self.ticket.with_user(self.agent).action_create_service_plan()
        plan = self.env[PLAN].browse(action["res_id"])
        self.assertEqual(plan.title, "Printer down")
        self.assertEqual(plan.ticket_ids, self.ticket)
        self.assertEqual(plan.state, "draft")
        ticket = self.ticket.with_user(self.agent)
        self.assertEqual(ticket.service_plan_count, 1)
        action = ticket.action_view_service_plans()
        self.assertEqual(action["domain"], [("id", "in", plan.ids)])
        # a draft that was never reviewed is deleted by a manager
        plan.with_user(self.manager).unlink()
        self.assertFalse(plan.exists())
