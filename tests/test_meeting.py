# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import unittest
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .plan_common import PlanCommon
from .test_agreement_report import pdf_to_text

MEETING = "helpdesk.service.meeting"
REPORT = "helpdesk_service_agreement.action_report_helpdesk_service_meeting"
REQUEST = "helpdesk.service.archive.request"


class MeetingCommon(PlanCommon):
    """A confirmed plan of the agent's team and its meetings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._confirmed()
        cls.contact_2 = cls.env["res.partner"].create(
            {
                "name": "HSA Contact Zh",
                "parent_id": cls.customer.id,
                "email": "hsa.contact.zh@example.com",
            }
        )

    @classmethod
    def _meeting(cls, start=None, user=None, **vals):
        """A meeting held on the plan (an hour ago unless told), with its
        minutes written and two action items."""
        values = {
            "kind": "kickoff",
            "subject": "Kick-off of the printers plan",
            "plan_id": cls.plan.id,
            "date_start": start or fields.Datetime.now() - timedelta(hours=2),
            "user_ids": [Command.set([cls.agent.id, cls.lead.id])],
            "contact_ids": [Command.set([cls.contact.id, cls.contact_2.id])],
            "present_partner_ids": [
                Command.set([cls.agent.partner_id.id, cls.contact.id])
            ],
            "agenda": "<p>Milestones and access to the rooms.</p>",
            "decisions": "<p>Fusers are replaced floor by floor.</p>",
            "action_ids": [
                Command.create(
                    {
                        "description": "Order the fusers",
                        "user_id": cls.agent.id,
                        "date_deadline": "2030-03-10",
                    }
                ),
                Command.create(
                    {
                        "description": "Book the printer rooms",
                        "user_id": cls.lead.id,
                        "date_deadline": "2030-03-12",
                    }
                ),
            ],
        }
        values.update(vals)
        return cls.env[MEETING].with_user(user or cls.agent).create(values)


class TestMeeting(MeetingCommon):
    def test_confirmation_gives_the_owner_a_kickoff_todo(self):
        todo = self.plan.activity_ids.filtered(
            lambda activity: (
                activity.user_id == self.agent
                and activity.summary == "Schedule the kick-off meeting"
            )
        )
        self.assertEqual(len(todo), 1)
        self.assertEqual(
            todo.activity_type_id,
            self.env.ref(
                "helpdesk_service_agreement.mail_activity_type_service_kickoff"
            ),
        )
        # a progress meeting leaves it; scheduling the kick-off settles it,
        # its feedback naming the meeting
        self._meeting(kind="progress")
        self.assertTrue(todo.active)
        kickoff = self._meeting(kind="kickoff")
        # done: archived by Odoo, its feedback posted
        self.assertFalse(todo.active)
        done = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.service.plan"),
                ("res_id", "=", self.plan.id),
                ("body", "ilike", f"Kick-off scheduled: {kickoff.display_name}"),
            ]
        )
        self.assertEqual(len(done), 1)

    def test_kickoff_from_confirmed_plan_invites_both_sides(self):
        action = self.plan.with_user(self.agent).action_schedule_kickoff()
        Meeting = self.env[MEETING].with_user(self.agent)
        with Form(Meeting.with_context(**action["context"])) as form:
            form.date_start = fields.Datetime.now() + timedelta(days=2)
            form.user_ids.add(self.lead)
        meeting = form.record
        self.assertEqual(meeting.kind, "kickoff")
        self.assertEqual(meeting.partner_id, self.customer)
        self.assertRegex(meeting.name, r"^HY\d{4}-\d{4}$")
        event = meeting.event_id
        self.assertTrue(event)
        expected = self.agent.partner_id | self.lead.partner_id | self.contact
        self.assertEqual(event.partner_ids, expected)
        self.assertEqual(event.attendee_ids.partner_id, expected)
        self.assertEqual(event.user_id, self.agent)
        self.assertEqual((event.res_model, event.res_id), (MEETING, meeting.id))
        self.assertEqual(event.stop - event.start, timedelta(hours=1))
        # the calendar invited the customer's attendee (in their language:
        # calendar.attendee's template renders per attendee)
        invitations = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "calendar.event"), ("res_id", "=", event.id)])
        )
        self.assertIn(self.contact, invitations.partner_ids)
        self.assertIn(self.lead.partner_id, invitations.partner_ids)
        # a later change follows on the calendar
        meeting.write({"contact_ids": [Command.link(self.contact_2.id)]})
        self.assertIn(self.contact_2, event.partner_ids)

    def test_kickoff_needs_a_confirmed_plan(self):
        draft = self._plan()
        with self._refused(ValidationError, "confirmed the service plan"):
            self._meeting(plan_id=draft.id)
        # a progress meeting may be held on any plan or ticket
        meeting = self._meeting(
            kind="progress", plan_id=False, ticket_id=self.ticket.id
        )
        self.assertEqual(meeting.partner_id, self.customer)

    def test_other_customers_contact_refused(self):
        other = self.env["res.partner"].create({"name": "Stranger", "email": "s@e.com"})
        with self._refused(ValidationError, "not contacts of"):
            self._meeting(contact_ids=[Command.set([other.id])])

    def test_approve_minutes(self):
        meeting = self._meeting()
        with self._refused(UserError, "Only the organiser"):
            meeting.with_user(self.lead).action_approve()
        future = self._meeting(start=fields.Datetime.now() + timedelta(days=1))
        with self._refused(UserError, "has not started yet"):
            future.with_user(self.agent).action_approve()
        meeting.with_user(self.agent).action_approve()
        self.assertEqual(meeting.state, "approved")
        self.assertEqual(meeting.approved_by_id, self.agent)
        # each action item is a to-do of its owner by its due date
        for item in meeting.action_ids:
            activity = item.activity_id
            self.assertEqual(activity.user_id, item.user_id)
            self.assertEqual(activity.date_deadline, item.date_deadline)
            self.assertEqual(
                (activity.res_model, activity.res_id), (MEETING, meeting.id)
            )
        self.assertEqual(
            set(meeting.action_ids.activity_id.user_id.ids),
            {self.agent.id, self.lead.id},
        )
        # sent to the customer's attendees, with the PDF
        sent = meeting.message_ids.filtered(
            lambda m: m.subject and "minutes" in m.subject
        )
        self.assertEqual(sent.partner_ids, self.contact | self.contact_2)
        self.assertTrue(all(message.attachment_ids for message in sent))
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "in", sent.ids)])
        )
        customers = mails.recipient_ids.filtered(
            lambda partner: partner.commercial_partner_id == self.customer
        )
        self.assertEqual(customers, self.contact | self.contact_2)
        # filed once
        requests = (
            self.env[REQUEST]
            .sudo()
            .search([("filing_key", "=", f"meeting_minutes:{meeting.id}")])
        )
        self.assertEqual(len(requests), 1)
        self.assertEqual(requests.document_type, "meeting_minutes")
        with self._refused(UserError, "already approved"):
            meeting.with_user(self.agent).action_approve()
        self.assertFalse(meeting._archive_enqueue())
        requests._file()
        requests._file()
        self.assertEqual(requests.state, "filed")
        documents = (
            self.env["helpdesk.service.archive.document"]
            .sudo()
            .search([("res_model", "=", MEETING), ("res_id", "=", meeting.id)])
        )
        self.assertEqual(len(documents), 1)
        self.assertIn(meeting.name, documents.display_title)
        self.assertIn("Meeting Minutes", documents.file_name)

    def test_minutes_in_each_attendees_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.contact_2.lang = "zh_CN"
        meeting = self._meeting()
        meeting.with_user(self.agent).action_approve()
        sent = meeting.message_ids.filtered(
            lambda m: m.subject and "minutes" in m.subject
        )
        self.assertEqual(len(sent), 2)
        self.assertEqual(sorted(len(message.partner_ids) for message in sent), [1, 1])
        self.assertEqual(sent.partner_ids, self.contact | self.contact_2)

    def test_approved_minutes_are_final(self):
        meeting = self._meeting()
        meeting.with_user(self.agent).action_approve()
        for env in (meeting.with_user(self.agent), meeting.sudo()):
            with self._refused(UserError, "approved and final"):
                env.write({"decisions": "<p>Rewritten.</p>"})
            with self._refused(UserError, "approved and final"):
                env.action_ids[:1].write({"date_deadline": "2031-01-01"})
            with self._refused(UserError, "approved and final"):
                env.action_ids[:1].unlink()
            with self._refused(UserError, "approved and final"):
                env.env["helpdesk.service.meeting.action"].create(
                    {
                        "meeting_id": meeting.id,
                        "description": "Late addition",
                        "user_id": self.agent.id,
                        "date_deadline": "2031-01-01",
                    }
                )
        with self._refused(UserError, "cannot be deleted"):
            meeting.sudo().unlink()
        # its PDF, as sent to the customer, is frozen too
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", MEETING), ("res_id", "=", meeting.id)])
        )
        self.assertTrue(attachments)
        with self._refused(UserError, "part of the evidence"):
            attachments[:1].write({"datas": b"Zm9yZ2Vk"})
        with self._refused(UserError, "part of the evidence"):
            attachments[:1].unlink()
        # a draft's minutes stay editable
        draft = self._meeting(kind="progress")
        draft.with_user(self.agent).write({"decisions": "<p>Amended.</p>"})

    def test_system_fields_refused(self):
        meeting = self._meeting()
        with self._refused(AccessError, "set by the system"):
            meeting.with_user(self.agent).write({"state": "approved"})
        with self._refused(AccessError, "set by the system"):
            meeting.with_user(self.agent).write({"name": "HY-FAKE"})

    def test_access_by_role(self):
        meeting = self._meeting()
        # the plan's team, its lead, the managers and archivists read it
        for user in (self.agent, self.lead, self.manager, self.archivist):
            self.assertTrue(meeting.with_user(user).has_access("read"), user.login)
        # an agent of another team does not
        self.assertFalse(meeting.with_user(self.agent_2).has_access("read"))
        self.assertFalse(
            self.env[MEETING].with_user(self.agent_2).search([("id", "=", meeting.id)])
        )
        with self.assertRaises(AccessError):
            meeting.with_user(self.archivist).write({"location": "Room 2"})


@tagged("post_install", "-at_install")
class TestMeetingPortal(MeetingCommon, HttpCase):
    """Approved minutes on the customer's plan and ticket pages, their PDF
    for the customer only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_meeting_portal_a",
            password="hsa_meeting_portal_a_pw",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        customer_b = cls.env["res.partner"].create(
            {"name": "HSA Meeting Customer B", "is_company": True}
        )
        cls.portal_user_b = new_test_user(
            cls.env,
            login="hsa_meeting_portal_b",
            password="hsa_meeting_portal_b_pw",
            groups="base.group_portal",
        )
        cls.portal_user_b.partner_id.parent_id = customer_b
        cls.approved = cls._meeting(subject="Approved kick-off minutes")
        cls.approved.with_user(cls.agent).action_approve()
        cls.draft = cls._meeting(kind="progress", subject="Draft progress minutes")
        cls.on_ticket = cls._meeting(
            kind="problem",
            plan_id=False,
            ticket_id=cls.ticket.id,
            subject="Problem meeting on the printer",
        )
        cls.on_ticket.with_user(cls.agent).action_approve()

    def _pdf_url(self, meeting):
        return f"/my/service_meetings/{meeting.id}?report_type=pdf&download=true"

    def test_plan_page_lists_approved_minutes_only(self):
        self.authenticate("hsa_meeting_portal_a", "hsa_meeting_portal_a_pw")
        response = self.url_open(self.plan.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_portal_service_meetings", response.text)
        self.assertIn("Approved kick-off minutes", response.text)
        self.assertNotIn("Draft progress minutes", response.text)
        response = self.url_open(self._pdf_url(self.approved))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # a draft is nobody's on the portal
        response = self.url_open(self._pdf_url(self.draft))
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")

    def test_ticket_page_lists_its_minutes(self):
        self.authenticate("hsa_meeting_portal_a", "hsa_meeting_portal_a_pw")
        response = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Problem meeting on the printer", response.text)

    def test_other_customer_sees_nothing(self):
        self.assertFalse(self.env[MEETING].with_user(self.portal_user_b).search([]))
        self.assertEqual(
            self.env[MEETING].with_user(self.portal_user).search([]),
            self.approved | self.on_ticket,
        )
        self.authenticate("hsa_meeting_portal_b", "hsa_meeting_portal_b_pw")
        response = self.url_open(self._pdf_url(self.approved))
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertNotIn("Approved kick-off minutes", response.text)

    def test_minutes_pdf(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            raise unittest.SkipTest("wkhtmltopdf is not available")
        if not shutil.which("pdftotext"):
            raise unittest.SkipTest("pdftotext (poppler-utils) is not available")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = Report._render_qweb_pdf(REPORT, self.approved.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_to_text(pdf)
        for expected in (
            "Meeting Minutes",
            self.approved.name,
            "Approved kick-off minutes",
            "Fusers are replaced floor by floor.",
            "Order the fusers",
            "Book the printer rooms",
            "Approved by",
        ):
            self.assertIn(expected, text)
