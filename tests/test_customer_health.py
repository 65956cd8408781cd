# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .satisfaction_common import SatisfactionCommon

HEALTH = "helpdesk.service.customer.health"
CRON = "helpdesk_service_agreement.ir_cron_helpdesk_service_customer_health"


@tagged("post_install", "-at_install")
class TestCustomerHealth(SatisfactionCommon):
    """A customer with two missed targets, an escalation, a dissatisfied
    survey answer and the complaint it opened is red; a customer with a
    ticket and nothing else is green."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the weights and thresholds the hand-computed figures use
        cls.company.write(
            {
                "health_window_days": 90,
                "health_threshold_green": 80.0,
                "health_threshold_amber": 60.0,
                "health_weight_breach": 5.0,
                "health_weight_escalation": 3.0,
                "health_weight_complaint": 8.0,
                "health_weight_complaint_open": 7.0,
                "health_weight_satisfaction": 10.0,
                "health_weight_recommend": 20.0,
                "health_weight_rectification": 5.0,
                "health_weight_plan_delay": 4.0,
                "health_weight_renewal": 10.0,
                "summary_target_recommend_rate": 80.0,
            }
        )
        cls.Health = cls.env[HEALTH]
        # the clean customer: one ticket, nothing wrong
        cls.clean = cls.env["res.partner"].create(
            {"name": "HSA Clean Ltd", "is_company": True}
        )
        cls.clean_contact = cls.env["res.partner"].create(
            {"name": "HSA Clean Contact", "parent_id": cls.clean.id}
        )
        cls._create_ticket(partner_id=cls.clean_contact.id, name="Clean request")

    def _make_red(self):
        """Both targets of the ticket's level missed, one escalation, a
        survey answer of 2/2/2 and 3 to recommend (which opens a
        complaint)."""
        phase = self.env["helpdesk.ticket.sla.phase"].search(
            [("ticket_id", "=", self.ticket.id)], limit=1
        )
        self.assertTrue(phase, "the agreement's level starts the ticket's clock")
        phase.sudo().write({"response_breached": True, "resolution_breached": True})
        self.env["helpdesk.ticket.escalation"].sudo().create(
            {
                "ticket_id": self.ticket.id,
                "from_level": "1",
                "to_level": "2",
                "reason": "manual",
            }
        )
        _acceptance, satisfaction = self._accepted()
        self._answer(satisfaction, 2, 2, 2, 3)
        self.assertTrue(satisfaction.complaint_ticket_id)

    def _compute(self, partners=None):
        partners = partners or (self.customer | self.clean)
        return self.Health._health_compute(partners.commercial_partner_id)

    def _snapshot(self, partner):
        return self.Health.search([("partner_id", "=", partner.id)])

    def _todos(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("summary", "like", "Customer health"),
            ]
        )

    def test_score_red_and_green(self):
        self._make_red()
        self._compute()
        red = self._snapshot(self.customer)
        self.assertEqual(len(red), 1)
        # 2 targets x 5 + 1 escalation x 3 + 1 complaint x 8 and open x 7
        # + satisfaction (4 - 2) x 10 + recommendation (80 - 0) / 80 x 20
        self.assertEqual(red.breach_count, 2)
        self.assertEqual(red.escalation_count, 1)
        self.assertEqual(red.complaint_count, 1)
        self.assertEqual(red.complaint_open_count, 1)
        self.assertAlmostEqual(red.satisfaction_avg, 2.0)
        self.assertAlmostEqual(red.recommend_rate, 0.0)
        self.assertEqual(
            [
                red.points_breach,
                red.points_escalation,
                red.points_complaint,
                red.points_satisfaction,
                red.points_recommend,
                red.points_renewal,
            ],
            [10.0, 3.0, 15.0, 20.0, 20.0, 0.0],
        )
        self.assertAlmostEqual(red.score, 32.0)
        self.assertEqual(red.state, "red")
        self.assertEqual(self.customer.health_state, "red")
        self.assertAlmostEqual(self.customer.health_score, 32.0)
        self.assertEqual(self.customer.health_snapshot_id, red)
        self.assertIn("SLA targets missed: 2 (−10)", red.reasons)
        self.assertIn("Average satisfaction: 2.00 of 5 (−20)", red.reasons)
        # in the reader's language
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertTrue(red.with_context(lang="zh_CN").reasons)

        green = self._snapshot(self.clean)
        self.assertEqual((green.score, green.state), (100.0, "green"))
        self.assertFalse(green.reasons)
        self.assertEqual(self.clean.health_state, "green")

    def test_amber_in_renewal_window(self):
        """Amber with its agreement inside the renewal notice window: a
        to-do; the renewal window takes its points."""
        self.agreement.sudo().renewal_notice_days = 400
        phase = self.env["helpdesk.ticket.sla.phase"].search(
            [("ticket_id", "=", self.ticket.id)], limit=1
        )
        phase.sudo().write({"response_breached": True, "resolution_breached": True})
        self._compute()
        snapshot = self._snapshot(self.customer)
        # 100 - 2 x 5 - 10
        self.assertEqual((snapshot.score, snapshot.state), (80.0, "green"))
        self.assertFalse(self._todos(self.customer))
        self.ticket_2.sla_phase_ids.sudo().write({"response_breached": True})
        self._compute()
        self.assertEqual((snapshot.score, snapshot.state), (75.0, "amber"))
        self.assertTrue(snapshot.in_renewal_window)
        self.assertEqual(len(self._todos(self.customer)), 1)

    def test_todo_once_and_rerun(self):
        self._make_red()
        self._compute()
        todo = self._todos(self.customer)
        self.assertEqual(len(todo), 1)
        # no salesperson: the leader of the team with most of its tickets
        self.assertEqual(todo.user_id, self.lead)
        self.assertIn("SLA targets missed: 2", str(todo.note))
        self.assertFalse(self._todos(self.clean))
        # rerun: the month's snapshot is updated, no second to-do
        self.ticket_2.sla_phase_ids.sudo().write({"response_breached": True})
        self._compute()
        snapshot = self._snapshot(self.customer)
        self.assertEqual(len(snapshot), 1)
        self.assertAlmostEqual(snapshot.score, 27.0)
        self.assertEqual(len(self._todos(self.customer)), 1)
        # the scheduled action: every customer once a day, no duplicates
        self._run_cron(CRON)
        self._run_cron(CRON)
        self.assertEqual(len(self._snapshot(self.customer)), 1)
        self.assertEqual(len(self._todos(self.customer)), 1)
        self.assertEqual(len(self._snapshot(self.clean)), 1)

    def test_trend(self):
        """Last month's snapshot is kept; this month's trend compares."""
        today = fields.Date.context_today(self.Health)
        self.Health._health_compute(
            self.customer, today.replace(day=1) - timedelta(days=1)
        )
        self.ticket.sla_phase_ids.sudo().write({"response_breached": True})
        self._compute(self.customer)
        snapshots = self._snapshot(self.customer)
        self.assertEqual(len(snapshots), 2)
        current = snapshots.sorted("period_start")[-1]
        self.assertEqual(current.previous_score, 100.0)
        self.assertEqual(current.trend, -5.0)
        self.assertEqual(self.customer.health_trend, -5.0)

    def _customers(self, count, tickets=2):
        partners = self.env["res.partner"].create(
            [
                {"name": f"HSA Bulk {count}-{i}", "is_company": True}
                for i in range(count)
            ]
        )
        contacts = self.env["res.partner"].create(
            [{"name": f"Contact {p.name}", "parent_id": p.id} for p in partners]
        )
        self.env["helpdesk.ticket"].create(
            [
                {"name": f"Request {n}", "description": "<p>x</p>", "partner_id": c.id}
                for c in contacts
                for n in range(tickets)
            ]
        )
        self.assertTrue(all(partners.mapped("customer_code")))
        return partners

    def test_query_count_flat(self):
        """The same queries for 3 customers with 2 tickets each as for 30
        with 4 each."""
        few = self._customers(3, tickets=2)
        many = self._customers(30, tickets=4)
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            self.Health._health_compute(few)
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            self.Health._health_compute(many)
        self.assertEqual(len(self.Health.search([("partner_id", "in", many.ids)])), 30)

    def test_access(self):
        self._compute()
        snapshot = self._snapshot(self.customer)
        # the agent of the team serving the customer reads it
        self.assertEqual(
            self.Health.with_user(self.agent).search([("id", "=", snapshot.id)]),
            snapshot,
        )
        self.assertEqual(
            self.customer.with_user(self.agent).health_snapshot_id, snapshot
        )
        # an agent of another team does not, nor its reasons
        self.assertFalse(
            self.Health.with_user(self.agent_2).search([("id", "=", snapshot.id)])
        )
        with self.assertRaises(AccessError):
            snapshot.with_user(self.agent_2).read(["score"])
        self.assertFalse(self.customer.with_user(self.agent_2).health_reasons)
        # managers and archivists read every customer's
        for user in (self.manager, self.archivist):
            self.assertEqual(
                self.Health.with_user(user).search(
                    [("partner_id", "in", (self.customer | self.clean).ids)]
                ),
                self._snapshot(self.customer) | self._snapshot(self.clean),
            )
        # nobody writes, creates or deletes one, nor the partner's score
        for user in (self.agent, self.manager):
            with self.assertRaises(AccessError):
                snapshot.with_user(user).write({"score": 100.0})
            with self.assertRaises(AccessError):
                self.Health.with_user(user).create(
                    {
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "period_start": "2020-01-01",
                        "score": 100.0,
                    }
                )
            with self.assertRaises(AccessError):
                snapshot.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.manager).write({"health_state": "green"})
