# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import MODULE
from .sla_common import SlaCommon, utc

MANAGER_GROUP = f"{MODULE}.group_service_manager"


@tagged("post_install", "-at_install")
class TestComplaint(SlaCommon):
    """The complaint record (客户投诉处理记录表): owner and channel at intake,
    its own targets on the SLA clocks, closed only with a result the customer
    is satisfied with, reopened one level up otherwise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint_manager = new_test_user(
            cls.env,
            login="hsa_complaint_manager",
            name="HSA Complaint Manager",
            groups=MANAGER_GROUP,
        )
        cls.company.complaint_manager_id = cls.complaint_manager

    def _complaint(self, local="2026-03-02 10:00", env=None, **vals):
        return self._new_ticket(local, env=env, request_type="complaint", **vals)

    def _todos(self, ticket, user):
        return ticket.activity_ids.filtered(
            lambda activity: (
                activity.user_id == user and activity.summary == "Handle complaint"
            )
        )

    # ------------------------------------------------------------------
    # Intake: owner, to-do, follower, channel
    # ------------------------------------------------------------------

    def test_owner_is_the_company_complaint_owner(self):
        ticket = self._complaint(env=self.env(user=self.agent))
        self.assertEqual(ticket.complaint_owner_id, self.complaint_manager)
        self.assertEqual(len(self._todos(ticket, self.complaint_manager)), 1)
        self.assertIn(self.complaint_manager.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.team_id, self.team_complaints, "routing unchanged")
        # one person in charge: the complaint owner is the assignee, the
        # level's owner (the team lead at level 2) follows it
        self.assertEqual(ticket.user_id, self.complaint_manager)
        self.assertIn(
            self.team_complaints.user_id.partner_id, ticket.message_partner_ids
        )
        self.assertEqual(ticket.complaint_channel, "phone")
        self.assertEqual(ticket.problem_level, "2")

    def test_owner_falls_back_to_the_first_manager(self):
        self.company.complaint_manager_id = False
        ticket = self._complaint()
        managers = self.env["res.users"].search(
            Domain("all_group_ids", "in", self.env.ref(MANAGER_GROUP).ids)
            & Domain("share", "=", False)
            & Domain("company_ids", "in", self.company.ids),
            order="id",
        )
        self.assertEqual(ticket.complaint_owner_id, managers[:1])
        self.assertTrue(self._todos(ticket, managers[:1]))
        # an archived complaint owner is no owner
        self.company.complaint_manager_id = self.complaint_manager
        self.complaint_manager.action_archive()
        self.assertEqual(self._complaint().complaint_owner_id, managers[:1])

    def test_other_requests_carry_no_complaint(self):
        ticket = self._new_ticket()
        self.assertFalse(ticket.complaint_channel)
        self.assertFalse(ticket.complaint_owner_id)
        self.assertFalse(ticket.activity_ids)
        # reclassified as a complaint: it gets its channel, owner and to-do
        ticket.request_type = "complaint"
        self.assertEqual(ticket.complaint_channel, "phone")
        self.assertEqual(ticket.complaint_owner_id, self.complaint_manager)
        self.assertTrue(self._todos(ticket, self.complaint_manager))

    def test_channel_from_the_creator(self):
        portal_user = new_test_user(
            self.env, login="hsa_complaint_portal", groups="base.group_portal"
        )
        portal_user.partner_id.parent_id = self.customer
        # the portal creates the ticket as superuser in the customer's name
        portal_env = self.env(user=portal_user, su=True)
        by_portal = self._complaint(
            env=portal_env, partner_id=portal_user.partner_id.id
        )
        self.assertEqual(by_portal.complaint_channel, "portal")
        by_staff = self._complaint(env=self.env(user=self.agent))
        self.assertEqual(by_staff.complaint_channel, "phone")
        chosen = self._complaint(complaint_channel="in_person")
        self.assertEqual(chosen.complaint_channel, "in_person")
        # the mail gateway: an alias whose defaults make tickets complaints
        with self._at_local("2026-03-02 10:00"):
            by_mail = self.env["helpdesk.ticket"].message_new(
                {
                    "subject": "Nobody answers the hotline",
                    "body": "<p>We waited an hour.</p>",
                    "from": "someone@example.com",
                    "author_id": self.contact.id,
                },
                custom_values={"request_type": "complaint"},
            )
        self.assertEqual(by_mail.request_type, "complaint")
        self.assertEqual(by_mail.complaint_channel, "email")

    def test_batch_of_complaints(self):
        """The satisfaction survey opens several complaints at once, as
        superuser: each gets its owner, follower and to-do."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                [
                    {
                        "request_type": "complaint",
                        "name": f"Dissatisfied {index}",
                        "description": "<p>Poor scores.</p>",
                        "partner_id": self.contact.id,
                        "company_id": self.company.id,
                        "team_id": self.team_complaints.id,
                    }
                    for index in range(3)
                ]
            )
        )
        for ticket in tickets:
            self.assertEqual(ticket.complaint_owner_id, self.complaint_manager)
            self.assertEqual(len(self._todos(ticket, self.complaint_manager)), 1)
            self.assertIn(self.complaint_manager.partner_id, ticket.message_partner_ids)

    def test_notifying_owners_costs_no_query_per_complaint(self):
        Ticket = self.env["helpdesk.ticket"].sudo()

        def batch(size):
            tickets = Ticket.create(
                [
                    {
                        "name": f"Dissatisfied {index}",
                        "description": "<p>Poor scores.</p>",
                        "partner_id": self.contact.id,
                        "team_id": self.team_complaints.id,
                        "complaint_owner_id": self.complaint_manager.id,
                    }
                    for index in range(size)
                ]
            )
            self.env.flush_all()
            return tickets

        def cost(tickets):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            tickets._complaint_notify_owner()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        one, many = batch(1), batch(11)
        per_ticket = (cost(many) - cost(one)) / 10
        # the e-mail telling the owner of each new to-do is mail's own work
        # (render, message, mail, notification: about 16 queries)
        self.assertLessEqual(per_ticket, 20)
        # without those e-mails: owners, followers and to-dos are read and
        # written for the batch; only mail.activity's own check of each
        # to-do's type and the tracked assignment of each complaint to its
        # owner (one chatter line each) remain per complaint
        quiet = Ticket.with_context(mail_activity_quick_update=True)
        one, many = quiet.browse(batch(1).ids), quiet.browse(batch(11).ids)
        self.assertLessEqual(cost(many) - cost(one), 22)
        for ticket in many:
            self.assertEqual(len(self._todos(ticket, self.complaint_manager)), 1)

    def test_complained_ticket_of_the_same_customer(self):
        other_customer = self.env["res.partner"].create(
            {"name": "HSA Other Customer", "is_company": True}
        )
        foreign = self._new_ticket(partner_id=other_customer.id)
        own = self._new_ticket()
        with self.assertRaises(ValidationError):
            self._complaint(complained_ticket_id=foreign.id)
        complaint = self._complaint(complained_ticket_id=own.id)
        self.assertEqual(complaint.complained_ticket_id, own)
        with self.assertRaises(ValidationError):
            complaint.complained_ticket_id = complaint
        with self.assertRaises(ValidationError):
            complaint.complained_user_id = new_test_user(
                self.env, login="hsa_complaint_portal_2", groups="base.group_portal"
            )

    # ------------------------------------------------------------------
    # Complaint targets on the SLA clocks
    # ------------------------------------------------------------------

    def test_complaint_deadlines_in_minutes_and_working_days(self):
        self.assertEqual(self.agreement.complaint_response_minutes, 30)
        self.assertEqual(self.agreement.complaint_feedback_days, 3)
        ticket = self._complaint()
        phase = ticket.sla_phase_id
        self.assertEqual(phase.response_hours, 0.5)
        self.assertEqual(phase.resolution_hours, 24.0)
        self.assertEqual(ticket.response_deadline, utc("2026-03-02 10:30"))
        # 3 working days of 8 hours: Monday 10:00 to Thursday 10:00
        self.assertEqual(ticket.resolution_deadline, utc("2026-03-05 10:00"))
        # over the night: 10 minutes on Monday, 20 on Tuesday morning
        night = self._complaint("2026-03-02 17:50")
        self.assertEqual(night.response_deadline, utc("2026-03-03 09:20"))
        # over the lunch break
        lunch = self._complaint("2026-03-02 11:45")
        self.assertEqual(lunch.response_deadline, utc("2026-03-02 13:15"))
        # over the weekend: Friday 17:45 to Monday 09:15; 24 working hours to
        # Wednesday 17:45
        weekend = self._complaint("2026-03-06 17:45")
        self.assertEqual(weekend.response_deadline, utc("2026-03-09 09:15"))
        self.assertEqual(weekend.resolution_deadline, utc("2026-03-11 17:45"))

    def test_the_stricter_target_wins(self):
        # a level 1 complaint: no response target at the level, 30 minutes
        general = self._complaint(problem_level="1")
        self.assertEqual(general.response_deadline, utc("2026-03-02 10:30"))
        self.assertEqual(general.resolution_deadline, utc("2026-03-05 10:00"))
        # targets looser than the level's: the level's 12 h and 48 h win
        self.agreement.write(
            {"complaint_response_minutes": 20 * 60, "complaint_feedback_days": 10}
        )
        loose = self._complaint()
        self.assertEqual(loose.response_deadline, utc("2026-03-03 15:00"))
        self.assertEqual(loose.resolution_deadline, utc("2026-03-10 10:00"))
        # no complaint targets: the level's alone
        self.agreement.write(
            {"complaint_response_minutes": 0, "complaint_feedback_days": 0}
        )
        plain = self._complaint(problem_level="1")
        self.assertFalse(plain.response_deadline)
        self.assertEqual(plain.resolution_deadline, utc("2026-03-05 10:00"))

    def test_other_requests_keep_their_targets(self):
        urgent = self._new_ticket(priority="3")
        self.assertEqual(urgent.problem_level, "2")
        self.assertEqual(urgent.sla_phase_id.response_hours, 12.0)
        self.assertEqual(urgent.response_deadline, utc("2026-03-03 15:00"))
        self.assertEqual(urgent.resolution_deadline, utc("2026-03-10 10:00"))

    def test_targets_cannot_be_negative(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.agreement.complaint_response_minutes = -1
            self.env.flush_all()

    def test_missed_complaint_response_escalates(self):
        ticket = self._complaint()
        self._check("2026-03-02 10:25")
        self.assertEqual(ticket.problem_level, "2")
        self._check("2026-03-02 10:35")
        self.assertEqual(ticket.problem_level, "3", "climbs one level")
        left = ticket.sla_phase_ids.filtered(lambda phase: phase.level == "2")
        self.assertTrue(left.response_breached)
        self.assertEqual(ticket.escalation_ids.reason, "response_breach")
        # level 3 keeps the complaint's 30 minutes (stricter than its 2 h)
        self.assertEqual(ticket.sla_phase_id.response_hours, 0.5)

    # ------------------------------------------------------------------
    # Close rules and the customer's feedback
    # ------------------------------------------------------------------

    def test_close_needs_result_and_satisfied_customer(self):
        ticket = self._complaint()
        ticket.stage_id = self.stage_progress
        with self.assertRaisesRegex(UserError, "without its result"):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.stage_id, self.stage_progress)
        with self.assertRaisesRegex(UserError, "feedback"):
            ticket.action_complaint_satisfied()
        with self._at_local("2026-03-02 14:00"):
            ticket.complaint_result = "We replaced the engineer and apologised."
        self.assertEqual(ticket.complaint_result_date, utc("2026-03-02 14:00"))
        with self.assertRaisesRegex(UserError, "satisfied"):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.stage_id, self.stage_progress)
        with self._at_local("2026-03-03 09:30"):
            ticket.action_complaint_satisfied()
        self.assertFalse(
            self._todos(ticket, self.complaint_manager), "the owner's to-do is done"
        )
        self.assertEqual(ticket.complaint_feedback, "satisfied")
        self.assertEqual(ticket.complaint_feedback_date, utc("2026-03-03 09:30"))
        with self.assertRaisesRegex(UserError, "already recorded"):
            ticket.action_complaint_not_satisfied()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            ticket.with_user(self.manager).complaint_result = "Another story"
        ticket.stage_id = self.stage_done
        self.assertTrue(ticket.closed)

    def test_not_satisfied_reopens_one_level_up(self):
        ticket = self._complaint()
        ticket.write({"stage_id": self.stage_waiting.id})
        ticket.complaint_result = "A voucher for the next visit."
        with self._at_local("2026-03-02 15:00"):
            ticket.action_complaint_not_satisfied()
        self.assertEqual(ticket.problem_level, "3")
        self.assertEqual(ticket.complaint_reopen_count, 1)
        self.assertFalse(ticket.complaint_result)
        self.assertFalse(ticket.complaint_result_date)
        self.assertFalse(ticket.complaint_feedback)
        self.assertEqual(ticket.stage_id, self.stage_progress, "back to work")
        self.assertEqual(len(self._todos(ticket, self.complaint_manager)), 2)
        self.assertIn(
            "A voucher for the next visit.",
            "".join(ticket.message_ids.mapped("body")),
            "the refused result stays in the chatter",
        )
        escalation = ticket.escalation_ids
        self.assertEqual((escalation.from_level, escalation.to_level), ("2", "3"))
        self.assertEqual(ticket.sla_phase_id.level, "3")
        with self.assertRaisesRegex(UserError, "none yet"):
            ticket.action_complaint_satisfied()
        # at level 3 it stays at 3 and still reopens
        ticket.complaint_result = "A refund of the visit."
        ticket.action_complaint_not_satisfied()
        self.assertEqual(ticket.problem_level, "3")
        self.assertEqual(ticket.complaint_reopen_count, 2)
        self.assertFalse(ticket.complaint_result)

    def test_closed_complaint_reopens(self):
        """A complaint closed by the system (a data fix, an import) without
        the customer's feedback goes back to work when it comes."""
        ticket = self._complaint()
        ticket.complaint_result = "Solved on site."
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET stage_id = %s WHERE id = %s",
            [self.stage_done.id, ticket.id],
        )
        ticket.invalidate_recordset()
        ticket.action_complaint_not_satisfied()
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.problem_level, "3")

    def test_feedback_needs_a_complaint_and_a_result(self):
        ticket = self._complaint()
        with self.assertRaisesRegex(UserError, "none yet"):
            ticket.action_complaint_not_satisfied()
        with self.assertRaisesRegex(UserError, "not a complaint"):
            self._new_ticket().action_complaint_satisfied()
        ticket.complaint_result = "Done."
        with self.assertRaises(ValidationError):
            ticket._complaint_record_feedback("meh")
        self.assertFalse(ticket.complaint_feedback)
