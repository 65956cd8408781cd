# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .sla_common import SlaCommon, utc


@tagged("post_install", "-at_install")
class TestEscalation(SlaCommon):
    def _activities(self, ticket, user, summary="Escalated"):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("user_id", "=", user.id),
                ("summary", "ilike", summary),
            ]
        )

    def _mails(self, ticket):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket.escalation"),
                ("res_id", "in", ticket.escalation_ids.ids),
            ]
        )

    def test_breach_climbs_one_level(self):
        ticket = self._new_ticket()
        self.assertEqual(ticket.problem_level, "1")
        self._check("2026-03-05 09:59")
        self.assertFalse(ticket.escalation_ids, "not due yet")
        self._check("2026-03-05 10:05")
        self.assertEqual(ticket.problem_level, "2")
        escalation = ticket.escalation_ids
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.reason, "resolution_breach")
        self.assertEqual(escalation.missed_deadline, utc("2026-03-05 10:00"))
        self.assertEqual((escalation.from_level, escalation.to_level), ("1", "2"))
        self.assertEqual(escalation.owner_id, self.lead)
        self.assertEqual(ticket.user_id, self.lead, "the team lead owns level 2")
        self.assertTrue(ticket.sla_breached)
        first, second = ticket.sla_phase_ids.sorted("id")
        self.assertTrue(first.resolution_breached)
        self.assertEqual(first.state, "done")
        self.assertEqual(second.level, "2")
        self.assertEqual(second.date_start, utc("2026-03-05 10:05"))
        # 12 working hours from Thursday 10:05
        self.assertEqual(ticket.response_deadline, utc("2026-03-06 15:05"))
        self.assertEqual(ticket.sla_state, "on_track")
        self.assertEqual(len(self._activities(ticket, self.lead)), 1)
        mail = self._mails(ticket)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.lead.partner_id)
        self.assertIn(ticket.number, mail.subject)
        # one e-mail for the new owner: neither "you have been assigned" nor
        # the activity's own (the other one was the at-risk warning's)
        lead_mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.lead.partner_id.ids)]
        )
        self.assertEqual(len(lead_mails), 2)
        self.assertIn(mail, lead_mails)
        self.assertIn("SLA at risk", (lead_mails - mail).subject)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda message: "escalated from" in (message.body or "")
            )
        )
        # the check again: nothing new
        self._check("2026-03-05 10:10")
        self.assertEqual(len(ticket.escalation_ids), 1)
        self.assertEqual(len(self._activities(ticket, self.lead)), 1)
        self.assertEqual(len(self._mails(ticket)), 1)
        # the breach stays recorded after the ticket closes
        with self._at_local("2026-03-05 11:00"):
            ticket.stage_id = self.stage_done
        self.assertTrue(ticket.sla_breached)
        self.assertEqual(ticket.sla_state, "breached")

    def test_breach_at_level_3_is_recorded_not_climbed(self):
        ticket = self._new_ticket(problem_level="3")
        self._check("2026-03-02 12:30")
        self.assertEqual(ticket.problem_level, "3")
        escalation = ticket.escalation_ids
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.reason, "response_breach")
        self.assertEqual((escalation.from_level, escalation.to_level), ("3", "3"))
        self.assertEqual(ticket.sla_state, "breached")
        for user in self.manager | self.emergency_user:
            self.assertEqual(len(self._activities(ticket, user)), 1)
        self.assertEqual(len(self._mails(ticket)), 1)
        self._check("2026-03-02 12:45")
        self.assertEqual(len(ticket.escalation_ids), 1)
        # the customer update owed at 15:00 is missed too
        self._check("2026-03-02 15:30")
        update = ticket.escalation_ids.filtered(lambda e: e.reason == "update_breach")
        self.assertEqual(update.missed_deadline, utc("2026-03-02 15:00"))
        self.assertEqual(ticket.next_update_deadline, utc("2026-03-03 10:30"))
        self._check("2026-03-02 15:45")
        self.assertEqual(len(ticket.escalation_ids), 2)

    def test_at_risk_warns_once(self):
        ticket = self._new_ticket()
        self._check("2026-03-04 14:00")
        self.assertEqual(ticket.sla_state, "on_track")
        self._check("2026-03-04 15:00")
        self.assertEqual(ticket.sla_state, "at_risk")
        self.assertTrue(ticket.sla_phase_id.at_risk_warned)
        # no assignee: the team's leader is warned
        self.assertEqual(len(self._activities(ticket, self.lead, "SLA at risk")), 1)
        warnings = ticket.message_ids.filtered(
            lambda message: "SLA at risk" in (message.body or "")
        )
        self.assertEqual(len(warnings), 1)
        self.assertEqual(ticket.sla_next_check, utc("2026-03-05 10:00"))
        self._check("2026-03-04 16:00")
        self.assertEqual(len(self._activities(ticket, self.lead, "SLA at risk")), 1)
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: "SLA at risk" in (m.body or ""))),
            1,
        )
        self.assertFalse(ticket.escalation_ids)

    def test_closed_tickets_never_escalate(self):
        ticket = self._new_ticket()
        with self._at_local("2026-03-04 10:00"):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.sla_state, "met")
        self.assertFalse(ticket.sla_next_check)
        self._check("2026-03-10 10:00")
        self.assertFalse(ticket.escalation_ids)
        self.assertEqual(ticket.problem_level, "1")
        self.assertFalse(ticket.sla_breached)

    def test_breach_escalates_once_in_database(self):
        ticket = self._new_ticket()
        self._check("2026-03-05 10:05")
        escalation = ticket.escalation_ids
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["helpdesk.ticket.escalation"].create(
                {
                    "ticket_id": ticket.id,
                    "from_level": "1",
                    "to_level": "2",
                    "reason": escalation.reason,
                    "missed_deadline": escalation.missed_deadline,
                }
            )

    def test_postmortem_required_to_close_level_3(self):
        ticket = self._new_ticket(problem_level="3")
        self._check("2026-03-02 12:30")
        with self.assertRaises(UserError), self._at_local("2026-03-03 10:00"):
            ticket.with_user(self.lead).stage_id = self.stage_done
        self.assertFalse(ticket.closed)
        action = ticket.with_user(self.lead).action_open_postmortem()
        postmortem = self.env["helpdesk.ticket.postmortem"].browse(action["res_id"])
        self.assertEqual(postmortem.ticket_id, ticket)
        self.assertIn("Ticket opened", postmortem.timeline)
        self.assertIn("Response Deadline Missed", postmortem.timeline)
        with self.assertRaises(UserError):
            postmortem.with_user(self.lead).action_done()
        self.assertEqual(postmortem.state, "draft")
        postmortem.with_user(self.lead).write(
            {
                "impact": "<p>Production stopped for two hours.</p>",
                "root_cause": "<p>Expired certificate.</p>",
                "corrective_actions": "<p>Certificate renewed.</p>",
                "preventive_actions": "<p>Expiry monitored.</p>",
            }
        )
        postmortem.with_user(self.lead).action_done()
        self.assertEqual(
            ticket.with_user(self.lead).action_open_postmortem()["res_id"],
            postmortem.id,
        )
        with self._at_local("2026-03-03 10:00"):
            ticket.with_user(self.lead).stage_id = self.stage_done
        self.assertTrue(ticket.closed)
        self.assertEqual(ticket.sla_state, "breached")

    def _wizard(self, ticket, user):
        action = ticket.with_user(user).action_open_escalation_wizard()
        return Form.from_action(self.env(user=user), action)

    def test_agent_escalates_through_wizard(self):
        ticket = self._new_ticket()
        with self._at_local("2026-03-02 11:00"):
            with self._wizard(ticket, self.agent) as wizard:
                self.assertEqual(wizard.to_level, "2")
                wizard.reason = "Customer's shop cannot sell."
            wizard.record.action_escalate()
        self.assertEqual(ticket.problem_level, "2")
        escalation = ticket.escalation_ids
        self.assertEqual(escalation.reason, "manual")
        self.assertEqual(escalation.note, "Customer's shop cannot sell.")
        self.assertEqual(escalation.user_id, self.agent)
        self.assertEqual(ticket.user_id, self.lead)
        self.assertEqual(len(self._activities(ticket, self.lead)), 1)
        # the log is not the agent's to edit
        with self.assertRaises(AccessError):
            escalation.with_user(self.agent).note = "edited"
        with self.assertRaises(AccessError):
            escalation.with_user(self.agent).unlink()
        # nor is lowering the level
        wizard = self._wizard(ticket, self.agent)
        wizard.to_level = "1"
        wizard.reason = "Not so urgent."
        wizard = wizard.save()
        with self.assertRaises(AccessError):
            wizard.action_escalate()
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).problem_level = "1"
        self.assertEqual(ticket.problem_level, "2")
        self.assertEqual(len(ticket.escalation_ids), 1)
        self.assertEqual(len(ticket.sla_phase_ids), 2)
        # a team lead may
        with self._at_local("2026-03-02 12:00"):
            wizard = self._wizard(ticket, self.lead)
            wizard.to_level = "1"
            wizard.reason = "Workaround in place."
            wizard.save().action_escalate()
        self.assertEqual(ticket.problem_level, "1")
        self.assertEqual(ticket.escalation_ids.sorted("id")[-1].direction, "down")

    def test_wizard_refuses_bad_input(self):
        major = self._new_ticket(problem_level="3")
        wizard = self._wizard(major, self.agent)
        self.assertEqual(wizard.to_level, "3")
        wizard.reason = "Even worse."
        with self.assertRaises(UserError):
            wizard.save().action_escalate()
        self.assertEqual(len(major.escalation_ids), 0)
        ticket = self._new_ticket()
        wizard = self._wizard(ticket, self.agent)
        wizard.reason = "   "
        with self.assertRaises(UserError):
            wizard.save().action_escalate()
        self.assertEqual(ticket.problem_level, "1")
        with self.assertRaises(UserError):
            ticket.problem_level = "4"
