# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import MODULE
from .sla_common import SlaCommon


@tagged("post_install", "-at_install")
class TestMessagesInTheReadersLanguage(SlaCommon):
    """What the SLA check writes for a person is in that person's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"])
        cls.lead.lang = "zh_CN"

    def test_escalation_to_a_chinese_owner(self):
        ticket = self._new_ticket()
        self._check("2026-03-05 09:59")  # at risk: the team lead is warned
        self._check("2026-03-05 10:05")
        self.assertEqual(ticket.user_id, self.lead)
        followup = self.env.ref(f"{MODULE}.mail_activity_type_sla_followup")
        activities = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == followup and a.user_id == self.lead
        )
        summaries = activities.mapped("summary")
        self.assertIn(f"已升级工单：{ticket.number}", summaries)
        self.assertTrue(
            any("SLA有风险" in (summary or "") for summary in summaries), summaries
        )
        self.assertFalse(any("Escalated ticket" in s for s in summaries))
        # the chatter note in the owner's language
        notes = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        ).mapped("body")
        self.assertFalse(any("escalated from" in (body or "") for body in notes))
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket.escalation"),
                ("res_id", "in", ticket.escalation_ids.ids),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertNotIn("needs you", mail.body_html)
        self.assertNotIn("escalated from", mail.body_html)

    def test_english_owner_still_reads_english(self):
        self.lead.lang = "en_US"
        ticket = self._new_ticket()
        self._check("2026-03-05 10:05")
        self.assertIn(
            f"Escalated ticket: {ticket.number}",
            ticket.activity_ids.filtered(lambda a: a.user_id == self.lead).mapped(
                "summary"
            ),
        )


@tagged("post_install", "-at_install")
class TestClosingSettlesTheClock(SlaCommon):
    def test_closed_level_3_ticket_leaves_no_loose_end(self):
        ticket = self._new_ticket(problem_level="3")
        self._check("2026-03-02 13:30")
        followup = self.env.ref(f"{MODULE}.mail_activity_type_sla_followup")
        self.assertTrue(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup)
        )
        self.assertTrue(ticket.next_update_deadline)
        postmortem = self.env["helpdesk.ticket.postmortem"].create(
            {
                "ticket_id": ticket.id,
                "impact": "<p>x</p>",
                "root_cause": "<p>x</p>",
                "corrective_actions": "<p>x</p>",
                "preventive_actions": "<p>x</p>",
            }
        )
        postmortem.action_done()
        with self._at_local("2026-03-02 14:00"):
            ticket.with_user(self.manager).stage_id = self.stage_done
        self.assertFalse(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup),
            "the escalation to-dos are done",
        )
        self.assertFalse(ticket.next_update_deadline)
        self.assertEqual(ticket.sla_phase_id.state, "done")

    def test_closed_without_a_reply_is_not_met(self):
        ticket = self._new_ticket(problem_level="2")
        self.assertTrue(ticket.response_deadline)
        with self._at_local("2026-03-02 11:00"):
            ticket.stage_id = self.stage_done
        # within every deadline, but the customer never got an answer
        self.assertTrue(ticket.sla_phase_id.response_breached)
        self.assertEqual(ticket.sla_phase_id.sla_state, "breached")
        self.assertEqual(ticket.sla_status, "breached")

    def test_answered_and_closed_in_time_is_met(self):
        ticket = self._new_ticket(problem_level="2")
        with self._at_local("2026-03-02 10:30"):
            ticket.message_post(
                body="On it.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        with self._at_local("2026-03-02 11:00"):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.sla_status, "met")


@tagged("post_install", "-at_install")
class TestStatusShownDistinctly(SlaCommon):
    def test_breached_then_escalated_still_reads_breached(self):
        ticket = self._new_ticket()
        self.assertEqual(ticket.sla_status, "on_track")
        self._check("2026-03-05 10:05")
        self.assertEqual(ticket.sla_state, "on_track", "the new level's clock")
        self.assertEqual(ticket.sla_status, "breached")

    def test_paused(self):
        ticket = self._new_ticket()
        with self._at_local("2026-03-02 11:00"):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(ticket.sla_status, "paused")
        with self._at_local("2026-03-02 12:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.sla_status, "on_track")


@tagged("post_install", "-at_install")
class TestBackendRouting(SlaCommon):
    def test_agent_ticket_routed_despite_the_prefilled_team(self):
        self.company.helpdesk_mgmt_ticket_auto_assign = True
        # the agent belongs to support; a pre-sale request goes to sales
        with Form(self.env["helpdesk.ticket"].with_user(self.agent)) as form:
            form.name = "Quote for 20 printers"
            form.description = "<p>Price?</p>"
            form.partner_id = self.contact
            form.request_type = "pre_sale"
            self.assertEqual(form.team_id, self.team_support, "prefilled")
        ticket = form.record
        self.assertEqual(ticket.team_id, self.team_sales)
        self.assertNotEqual(ticket.user_id, self.agent, "not a member of sales")

    def test_team_chosen_by_hand_wins(self):
        with Form(self.env["helpdesk.ticket"].with_user(self.lead)) as form:
            form.name = "Quote"
            form.description = "<p>x</p>"
            form.partner_id = self.contact
            form.request_type = "pre_sale"
            form.team_id = self.team_complaints
        self.assertEqual(form.record.team_id, self.team_complaints)

    def test_transfer_hands_over_the_assignee(self):
        ticket = self._new_ticket(user_id=self.lead.id)
        self.assertEqual(ticket.team_id, self.team_support)
        wizard = (
            self.env["helpdesk.ticket.transfer.wizard"]
            .with_user(self.lead)
            .with_context(active_model="helpdesk.ticket", active_ids=ticket.ids)
            .create(
                {
                    "ticket_ids": ticket.ids,
                    "team_id": self.team_sales.id,
                    "summary": "Quote asked",
                }
            )
        )
        wizard.action_transfer()
        self.assertEqual(ticket.team_id, self.team_sales)
        # the lead belongs to both teams, yet the receiving team takes over
        self.assertFalse(ticket.user_id)
