# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer reads each ticket's clocks on its portal page (issue 20):
started, paused with its reason and the working hours held, resumed, met or
breached, with the deadlines, in their time zone; another customer does not
get the page."""

import re

from odoo.tests import HttpCase, new_test_user, tagged

from .sla_common import SlaCommon


def _text(html):
    """The page's text, tags dropped and blanks collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@tagged("post_install", "-at_install")
class TestPortalTicketClocks(SlaCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_clock_portal_a",
            password="hsa_clock_portal_a_pw",
            groups="base.group_portal",
        )
        cls.portal_user.tz = "Asia/Shanghai"
        cls.portal_user.partner_id.parent_id = cls.customer
        customer_b = cls.env["res.partner"].create(
            {"name": "HSA Clock Customer B", "is_company": True}
        )
        cls.portal_user_b = new_test_user(
            cls.env,
            login="hsa_clock_portal_b",
            password="hsa_clock_portal_b_pw",
            groups="base.group_portal",
        )
        cls.portal_user_b.partner_id.parent_id = customer_b

    def _ticket(self):
        """Level 1 (resolve in 24 working hours, no response target): waits
        on the customer Monday 11:00 - Tuesday 11:00 (8 working hours),
        answered Tuesday 14:00, resolved Wednesday 10:00."""
        ticket = self._new_ticket(partner_id=self.portal_user.partner_id.id)
        with self._at_local("2026-03-02 11:00"):
            ticket.stage_id = self.stage_waiting
        with self._at_local("2026-03-03 11:00"):
            ticket.stage_id = self.stage_progress
        with self._at_local("2026-03-03 14:00"):
            ticket.with_user(self.lead).message_post(
                body="We are on it.",
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        with self._at_local("2026-03-04 10:00"):
            ticket.stage_id = self.stage_done
        return ticket

    def test_history_of_a_ticket(self):
        ticket = self._ticket()
        pause = ticket.sla_phase_ids.pause_ids
        self.assertEqual(pause.stage_id, self.stage_waiting, "the pause's reason")
        self.assertAlmostEqual(pause.paused_hours, 8.0)
        history = ticket._portal_clock_history()
        self.assertEqual(len(history), 1)
        texts = [event["text"] for event in history[0]["events"]]
        self.assertEqual(
            texts,
            [
                "Clock started at Level 1 - General",
                "Paused: HSA Waiting on customer",
                "Resumed after 8.00 working hours paused",
                "Resolved in time",
            ],
        )
        self.assertEqual(history[0]["events"][-1]["outcome"], "met")
        self.assertEqual(history[0]["held_hours"], "8.00")

    def test_owner_sees_the_clocks_another_customer_does_not(self):
        ticket = self._ticket()
        self.assertEqual(
            ticket.with_user(self.portal_user)._sla_reader_tz(), "Asia/Shanghai"
        )
        self.authenticate("hsa_clock_portal_a", "hsa_clock_portal_a_pw")
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Service Level Clocks", page.text)
        self.assertIn("Paused: HSA Waiting on customer", page.text)
        self.assertIn("Resumed after 8.00 working hours paused", page.text)
        # the times of the clocks, as the page's other times
        self.assertIn('data-oe-type="datetime"', page.text)
        # every time in the reader's zone (Shanghai), none in UTC: created
        # Monday 10:00 (02:00 UTC), paused 11:00, closed Wednesday 10:00
        text = _text(page.text)
        self.assertIn("03/02/2026 10:00", text, "created, in Shanghai time")
        self.assertIn("03/02/2026 11:00", text, "paused, in Shanghai time")
        self.assertIn("03/04/2026 10:00", text, "closed, in Shanghai time")
        self.assertNotIn("03/02/2026 02:00", text, "no time in UTC")
        self.assertNotIn("03/04/2026 02:00", text, "no time in UTC")
        self.assertNotIn(self.lead.name, page.text.split("Service Level Clocks")[1])
        self.authenticate("hsa_clock_portal_b", "hsa_clock_portal_b_pw")
        page = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self.assertIn(page.status_code, (303, 403, 404))
        self.assertNotIn("Service Level Clocks", page.text)
        self.assertNotIn("HSA Waiting on customer", page.text)

    def test_breached_clock(self):
        # level 2 (respond in 12 working hours), never answered: breached
        ticket = self._new_ticket(
            partner_id=self.portal_user.partner_id.id, priority="3"
        )
        self._check("2026-03-05 10:00")
        history = ticket._portal_clock_history()
        outcomes = [(event["text"], event["outcome"]) for event in history[0]["events"]]
        self.assertIn(("Response deadline missed", "breached"), outcomes)
