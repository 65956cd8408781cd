# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .sla_common import SlaCommon, utc


@tagged("post_install", "-at_install")
class TestSlaDeadlines(SlaCommon):
    def test_grading_at_intake(self):
        general = self._new_ticket()
        complaint = self._new_ticket(request_type="complaint")
        urgent = self._new_ticket(priority="3")
        explicit = self._new_ticket(request_type="complaint", problem_level="1")
        self.assertEqual(general.problem_level, "1")
        self.assertEqual(complaint.problem_level, "2")
        self.assertEqual(urgent.problem_level, "2")
        self.assertEqual(explicit.problem_level, "1", "an explicit level wins")
        # a later change of priority does not regrade a saved ticket
        general.priority = "3"
        self.assertEqual(general.problem_level, "1")
        with self._at_local("2026-03-02 10:00"):
            form = Form(self.env["helpdesk.ticket"].with_user(self.agent))
            form.name = "Complaint by phone"
            form.description = "<p>Rude answer.</p>"
            form.partner_id = self.contact
            self.assertEqual(form.problem_level, "1")
            form.request_type = "complaint"
            self.assertEqual(form.problem_level, "2")
            ticket = form.save()
        self.assertEqual(ticket.problem_level, "2")

    def test_deadlines_over_nights_and_weekends(self):
        general = self._new_ticket()
        self.assertEqual(general.sla_state, "on_track")
        self.assertFalse(general.response_deadline, "level 1 has no response target")
        # Mon 10:00 + 24 working hours: 7 on Monday, 8 Tuesday, 8 Wednesday
        self.assertEqual(general.resolution_deadline, utc("2026-03-05 10:00"))
        self.assertEqual(
            general.resolution_deadline,
            self.calendar.plan_hours(24, utc("2026-03-02 10:00"), compute_leaves=True),
        )
        # at-risk at 80%: 19.2 working hours, Wednesday 14:12
        self.assertEqual(
            general.sla_phase_id.resolution_risk_date, utc("2026-03-04 14:12")
        )
        self.assertEqual(general.sla_next_check, utc("2026-03-04 14:12"))
        urgent = self._new_ticket(priority="3")
        self.assertEqual(urgent.response_deadline, utc("2026-03-03 15:00"))
        # 48 working hours run over the weekend
        self.assertEqual(urgent.resolution_deadline, utc("2026-03-10 10:00"))
        # opened at night: the clock starts the next morning
        night = self._new_ticket("2026-03-02 20:00")
        self.assertEqual(night.resolution_deadline, utc("2026-03-05 18:00"))
        # opened on Friday evening: Monday and Tuesday morning
        friday = self._new_ticket("2026-03-06 17:00", priority="3")
        self.assertEqual(friday.response_deadline, utc("2026-03-10 12:00"))

    def test_deadlines_skip_public_holiday_and_leave(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "HSA public holiday",
                "date_from": utc("2026-03-04 00:00"),
                "date_to": utc("2026-03-04 23:59"),
                "calendar_id": False,
                "company_id": self.company.id,
            }
        )
        holiday = self._new_ticket()
        self.assertEqual(holiday.resolution_deadline, utc("2026-03-06 10:00"))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "HSA office closed Tuesday afternoon",
                "date_from": utc("2026-03-03 13:00"),
                "date_to": utc("2026-03-03 18:00"),
                "calendar_id": self.calendar.id,
            }
        )
        both = self._new_ticket()
        self.assertEqual(both.resolution_deadline, utc("2026-03-06 16:00"))
        self.assertEqual(
            both.resolution_deadline,
            self.calendar.plan_hours(24, utc("2026-03-02 10:00"), compute_leaves=True),
        )

    def test_calendar_without_working_hours(self):
        empty = self.env["resource.calendar"].create(
            {
                "name": "HSA no hours",
                "tz": "Asia/Shanghai",
                "attendance_ids": [Command.clear()],
            }
        )
        self.levels["1"].calendar_id = empty
        ticket = self._new_ticket()
        self.assertEqual(ticket.sla_state, "no_schedule")
        self.assertFalse(ticket.resolution_deadline)
        self.assertFalse(ticket.sla_next_check)
        # the check and a stage change do not fail on it
        self._check("2026-03-20 10:00")
        with self._at_local("2026-03-20 11:00"):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.sla_state, "no_schedule")
        self.assertFalse(ticket.escalation_ids)

    def test_ticket_without_agreement_uses_company_default(self):
        other = self.env["res.partner"].create(
            {"name": "HSA No Agreement Ltd", "is_company": True}
        )
        ticket = self._new_ticket(partner_id=other.id)
        template = self.company.default_service_agreement_id
        self.assertTrue(ticket.agreement_missing)
        self.assertEqual(ticket.service_level_id.agreement_id, template)
        calendar = self.company.resource_calendar_id
        self.assertEqual(ticket.sla_phase_id.calendar_id, calendar)
        self.assertEqual(
            ticket.resolution_deadline,
            calendar.plan_hours(24, utc("2026-03-02 10:00"), compute_leaves=True),
        )
        self.company.default_service_agreement_id = False
        no_sla = self._new_ticket(partner_id=other.id)
        self.assertFalse(no_sla.sla_phase_id)
        self.assertFalse(no_sla.sla_state)
        self.assertFalse(no_sla.sla_next_check)

    def test_clock_follows_a_new_agreement(self):
        newcomer = self.env["res.partner"].create(
            {"name": "HSA Newcomer Ltd", "is_company": True}
        )
        # the default levels run on the company's calendar: Shanghai's here
        self.company.resource_calendar_id = self.calendar
        ticket = self._new_ticket(partner_id=newcomer.id)
        phase = ticket.sla_phase_id
        template = self.company.default_service_agreement_id
        self.assertEqual(phase.service_level_id.agreement_id, template)
        with self._at_local("2026-03-02 11:00"):
            ticket.stage_id = self.stage_waiting
        with self._at_local("2026-03-02 14:00"):
            ticket.stage_id = self.stage_progress
            # the customer signs: its agreement, on the Shanghai calendar with
            # 16 working hours to solve a general problem, comes into force
            agreement = self._create_agreement(
                partner_id=newcomer.id,
                resource_calendar_id=self.calendar.id,
                activate=False,
            )
            agreement.service_level_ids.filtered(
                lambda line: line.level == "1"
            ).resolution_hours = 16
            agreement.action_activate()
        self.assertEqual(ticket.agreement_id, agreement)
        self.assertEqual(ticket.sla_phase_id, phase, "the same clock goes on")
        self.assertEqual(phase.date_start, utc("2026-03-02 10:00"))
        self.assertEqual(
            (phase.agreement_id, phase.calendar_id, phase.resolution_hours),
            (agreement, self.calendar, 16.0),
        )
        # 16 working hours from Monday 10:00, plus the 2 paused (Monday 11-14)
        self.assertAlmostEqual(phase.paused_hours, 2.0)
        self.assertEqual(ticket.resolution_deadline, utc("2026-03-04 12:00"))
        self.assertEqual(ticket.sla_state, "on_track")
        self.assertTrue(
            any(
                "follows the service level" in message.body
                for message in ticket.message_ids
            )
        )
        # another customer, without agreement nor default levels: the clock
        # stops, the time held is kept
        self.company.default_service_agreement_id = False
        walk_in = self.env["res.partner"].create({"name": "HSA Walk-in"})
        with self._at_local("2026-03-03 10:00"):
            ticket.partner_id = walk_in
        self.assertEqual(phase.state, "done")
        # Monday 7 and Tuesday 1 working hours, 2 of them paused
        self.assertAlmostEqual(phase.consumed_hours, 6.0)
        self.assertFalse(ticket.sla_next_check)
        # back to the customer under agreement: a new clock from now
        with self._at_local("2026-03-03 11:00"):
            ticket.partner_id = self.contact
        self.assertEqual(ticket.agreement_id, self.agreement)
        self.assertEqual(ticket.sla_phase_id.date_start, utc("2026-03-03 11:00"))
        self.assertEqual(len(ticket.sla_phase_ids), 2)

    def test_pause_and_resume_move_deadlines_by_paused_time(self):
        ticket = self._new_ticket()
        with self._at_local("2026-03-02 11:00"):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(ticket.sla_phase_id.state, "paused")
        self.assertFalse(ticket.sla_next_check, "a paused clock is not checked")
        self.assertEqual(len(ticket.sla_pause_ids), 1)
        with self._at_local("2026-03-03 11:00"):
            ticket.stage_id = self.stage_progress
        pause = ticket.sla_pause_ids
        self.assertEqual(pause.date_end, utc("2026-03-03 11:00"))
        # Monday 11-12 and 13-18, Tuesday 9-11
        self.assertAlmostEqual(pause.paused_hours, 8.0)
        self.assertEqual(ticket.sla_phase_id.state, "running")
        self.assertEqual(ticket.resolution_deadline, utc("2026-03-06 10:00"))
        self.assertEqual(
            ticket.sla_phase_id.resolution_risk_date, utc("2026-03-05 14:12")
        )
        self.assertEqual(ticket.sla_next_check, utc("2026-03-05 14:12"))
        # paused outside working hours: nothing moves
        with self._at_local("2026-03-03 19:00"):
            ticket.stage_id = self.stage_waiting
        with self._at_local("2026-03-03 20:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.resolution_deadline, utc("2026-03-06 10:00"))
        with self._at_local("2026-03-05 12:00"):
            ticket.stage_id = self.stage_done
        phase = ticket.sla_phase_id
        self.assertEqual(phase.sla_state, "met")
        self.assertAlmostEqual(phase.paused_hours, 8.0)
        # Mon 7 + Tue 8 + Wed 8 + Thu 3 working hours, 8 of them paused
        self.assertAlmostEqual(phase.consumed_hours, 18.0)

    def test_closing_stage_cannot_pause(self):
        with self.assertRaises(ValidationError):
            self.stage_done.sla_pause = True
        with self.assertRaises(ValidationError):
            self.stage_waiting.closed = True

    def test_regrading_keeps_time_spent(self):
        ticket = self._new_ticket()
        with self._at_local("2026-03-02 14:00"):
            ticket.with_user(self.agent).problem_level = "2"
        first, second = ticket.sla_phase_ids.sorted("id")
        self.assertEqual(first.state, "done")
        self.assertEqual(first.date_end, utc("2026-03-02 14:00"))
        self.assertAlmostEqual(first.consumed_hours, 3.0)
        self.assertEqual(ticket.sla_phase_id, second)
        self.assertEqual(second.level, "2")
        self.assertEqual(second.date_start, utc("2026-03-02 14:00"))
        self.assertEqual(ticket.response_deadline, utc("2026-03-03 18:00"))
        self.assertEqual(ticket.user_id, self.lead, "level 2 belongs to the team lead")
        escalation = ticket.escalation_ids
        self.assertEqual(
            (escalation.from_level, escalation.to_level, escalation.reason),
            ("1", "2", "regraded"),
        )
        self.assertEqual(escalation.user_id, self.agent)
        with self._at_local("2026-03-03 10:00"):
            ticket.with_user(self.lead).problem_level = "1"
        self.assertEqual(len(ticket.sla_phase_ids), 3)
        self.assertEqual(ticket.sla_phase_id.level, "1")
        self.assertAlmostEqual(second.consumed_hours, 5.0)
        self.assertEqual(ticket.escalation_ids.sorted("id")[-1].direction, "down")
        self.assertEqual(ticket.resolution_deadline, utc("2026-03-06 10:00"))

    def test_level_3_owned_by_emergency_team(self):
        ticket = self._new_ticket(problem_level="3")
        owners = self.manager | self.emergency_user
        self.assertIn(ticket.user_id, owners)
        self.assertLessEqual(owners.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.response_deadline, utc("2026-03-02 12:00"))
        self.assertEqual(ticket.next_update_deadline, utc("2026-03-02 15:00"))
        self.assertFalse(ticket.resolution_deadline, "resolved by a dedicated plan")

    def test_first_response_is_a_public_reply_of_the_staff(self):
        ticket = self._new_ticket(priority="3")
        with self._at_local("2026-03-02 11:00"):
            ticket.with_user(self.agent).message_post(
                body="Checking the logs.",
                subtype_xmlid="mail.mt_note",
                message_type="comment",
            )
            ticket.message_post(
                body="Any news?",
                author_id=self.contact.id,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        self.assertFalse(ticket.first_response_date, "neither a note nor the customer")
        self.assertFalse(ticket.sla_phase_id.response_date)
        with self._at_local("2026-03-02 11:30"):
            ticket.with_user(self.agent).message_post(
                body="We are on it.",
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        self.assertEqual(ticket.first_response_date, utc("2026-03-02 11:30"))
        self.assertEqual(ticket.sla_phase_id.response_date, utc("2026-03-02 11:30"))
        # the response clock is met: the next check is the resolution's risk
        self.assertEqual(
            ticket.sla_next_check, ticket.sla_phase_id.resolution_risk_date
        )
        with self._at_local("2026-03-02 15:00"):
            ticket.with_user(self.agent).message_post(
                body="Still on it.",
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        self.assertEqual(ticket.first_response_date, utc("2026-03-02 11:30"))

    def test_level_3_customer_updates_follow_replies(self):
        ticket = self._new_ticket(problem_level="3")
        with self._at_local("2026-03-02 14:00"):
            ticket.with_user(self.manager).message_post(
                body="Emergency team assembled.",
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        # 4 working hours from Monday 14:00
        self.assertEqual(ticket.next_update_deadline, utc("2026-03-02 18:00"))

    def test_at_risk_share_is_a_company_setting(self):
        self.company.sla_at_risk_ratio = 0.5
        ticket = self._new_ticket()
        # half of 24 working hours: Monday 7, Tuesday 5 more
        self.assertEqual(
            ticket.sla_phase_id.resolution_risk_date, utc("2026-03-03 15:00")
        )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.company.sla_at_risk_ratio = 1.5
            self.company.flush_recordset()

    def test_ticket_form_opens_for_each_role(self):
        ticket = self._new_ticket(problem_level="3")
        with self._at_local("2026-03-02 11:00"):
            ticket.stage_id = self.stage_waiting
        for user in (self.lead, self.manager, self.emergency_user):
            form = Form(ticket.with_user(user))
            self.assertEqual(form.sla_status, "paused")
            self.assertEqual(len(form.sla_phase_ids), 1)
            self.assertEqual(len(form.sla_pause_ids), 1)
