# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .satisfaction_common import SATISFACTION, SatisfactionCommon


@tagged("post_install", "-at_install")
class TestSecuritySatisfaction(SatisfactionCommon):
    """A pure Service Agent as the attacker of satisfaction feedback, as over
    RPC: no score, state or complaint link written by hand, nothing created
    or deleted, nothing of another team; portal users never read the model;
    leads, managers and archivists read the company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="hsa_sat_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.acceptance, cls.mine = cls._accepted(cls.ticket)
        cls._answer(cls.mine, 2, 1, 2, 3, "Poor")
        other_ticket = cls._create_ticket(
            name="Other team's", team_id=cls.team_sales.id
        )
        cls.other_acceptance, cls.other = cls._accepted(other_ticket, user=cls.lead)

    def test_agent_reads_only_their_teams_feedback(self):
        Satisfaction = self.env[SATISFACTION].with_user(self.agent)
        self.assertEqual(Satisfaction.search([]), self.mine)
        self.mine.with_user(self.agent).read(["score_average", "comments"])
        with self.assertRaises(AccessError):
            self.other.with_user(self.agent).read(["score_average"])
        self.assertEqual(self.ticket.with_user(self.agent).satisfaction_count, 1)
        # the survey answer and its token are for the survey's users only
        with self.assertRaises(AccessError):
            self.mine.with_user(self.agent).read(["user_input_id"])

    def test_agent_forges_nothing(self):
        forged = {
            "state": "answered",
            "score_response_speed": 5,
            "score_resolution": 5,
            "score_communication": 5,
            "score_recommend": 10,
            "score_average": 5,
            "is_promoter": True,
            "recommend_rate": 100,
            "dissatisfied": False,
            "comments": "All perfect",
            "complaint_ticket_id": False,
            "date_answered": "2026-01-01 00:00:00",
            "deadline": "2099-01-01 00:00:00",
            "user_id": self.agent.id,
        }
        before = self.mine.read(list(forged))[0]
        for fname, value in forged.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self.mine.with_user(self.agent).write({fname: value})
        self.mine.invalidate_recordset()
        self.assertEqual(self.mine.read(list(forged))[0], before)
        with self.assertRaises(AccessError):
            self.env[SATISFACTION].with_user(self.agent).create(
                {"name": "forged", "acceptance_id": self.acceptance.id}
            )
        with self.assertRaises(AccessError):
            self.mine.with_user(self.agent).unlink()
        # the complaint's link to its answer is the system's
        complaint = self.mine.complaint_ticket_id
        self.assertTrue(complaint)
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.agent).write(
                {"complaint_satisfaction_id": self.other.id}
            )
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.agent).create(
                {
                    "name": "Forged complaint",
                    "partner_id": self.contact.id,
                    "complaint_satisfaction_id": self.other.id,
                }
            )
        self.assertFalse(self.ticket.complaint_satisfaction_id)

    def test_nobody_writes_or_deletes_by_hand(self):
        for user in (self.lead, self.manager, self.archivist):
            with self.subTest(user=user.login):
                records = (self.mine | self.other).with_user(user)
                self.assertEqual(records.search([]), self.mine | self.other)
                records.read(["score_average", "state"])
                with self.assertRaises(AccessError):
                    records.write({"comments": "edited"})
                with self.assertRaises(AccessError):
                    records.unlink()

    def test_portal_user_reads_no_feedback(self):
        with self.assertRaises(AccessError):
            self.env[SATISFACTION].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.portal_user).read(["score_average"])

    def test_other_company_is_out_of_reach(self):
        company_b = self.env["res.company"].create({"name": "HSA Company B"})
        self.lead.write({"company_ids": [(4, company_b.id)]})
        # the lead works in company B only: company A's feedback is hidden
        Satisfaction = (
            self.env[SATISFACTION]
            .with_user(self.lead)
            .with_context(allowed_company_ids=[company_b.id])
        )
        self.assertFalse(Satisfaction.search([]))
