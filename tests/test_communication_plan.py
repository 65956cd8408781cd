# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ServiceCommon
from .plan_common import PlanCommon
from .satisfaction_common import SatisfactionCommon

VISIT = "helpdesk.service.visit"
CRON = "helpdesk_service_agreement.ir_cron_service_visit_plan"
TODO = "helpdesk_service_agreement.mail_activity_type_service_visit"


@tagged("post_install", "-at_install")
class TestCommunicationPlan(ServiceCommon):
    """Follow-up visits (客户回访) at the cadence of each customer tier, once per
    period, their owner's to-do, late visits; care for birthdays; who reads
    them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["helpdesk.service.contact.policy"]
        cadences = {"large": "1", "medium": "3", "small": "6"}
        policies = Policy.search([("company_id", "=", cls.company.id)])
        for tier, cadence in cadences.items():
            policy = policies.filtered(lambda p, t=tier: p.tier == t)
            values = {"visit_cadence": cadence, "care_notice_days": 3}
            if policy:
                policy.write(values)
            else:
                Policy.create(dict(values, tier=tier))
        Partner = cls.env["res.partner"]
        cls.customer.write(
            {"service_team_id": cls.team_support.id, "user_id": cls.agent.id}
        )
        cls.medium = Partner.create(
            {
                "name": "HSA Medium Ltd",
                "is_company": True,
                "customer_tier": "medium",
                "service_team_id": cls.team_support.id,
            }
        )
        cls.small = Partner.create(
            {"name": "HSA Small Ltd", "is_company": True, "customer_tier": "small"}
        )
        # the small customer's serving team is the one of its latest ticket
        cls._create_ticket(partner_id=cls.small.id, team_id=cls.team_sales.id)
        cls.customers = cls.customer | cls.medium | cls.small

    def _visits(self, customers=None, kind="visit"):
        return self.env[VISIT].search(
            [
                ("partner_id", "in", (customers or self.customers).ids),
                ("kind", "=", kind),
            ]
        )

    def _todos(self, visits):
        return self.env["mail.activity"].search(
            [("res_model", "=", VISIT), ("res_id", "in", visits.ids)]
        )

    def test_cadence_over_a_year(self):
        for month in range(1, 13):
            for day in (1, 15):
                with self._at(f"2026-{month:02d}-{day:02d} 08:00:00"):
                    self._run_cron(CRON)
                    if day == 1:
                        self._run_cron(CRON)  # a second run: nothing new
        counts = {
            customer.customer_tier: len(self._visits(customer))
            for customer in self.customers
        }
        self.assertEqual(counts, {"large": 12, "medium": 4, "small": 2})
        large = self._visits(self.customer)
        self.assertEqual(
            sorted(str(v.period_start) for v in large),
            [f"2026-{m:02d}-01" for m in range(1, 13)],
        )
        small = self._visits(self.small).sorted("period_start")
        self.assertEqual(
            [(str(v.period_start), str(v.date_due)) for v in small],
            [("2026-01-01", "2026-06-30"), ("2026-07-01", "2026-12-31")],
        )
        # one to-do per visit, never a second
        self.assertEqual(len(self._todos(large)), 12)
        # owners: the salesperson, else the serving team's leader; the team:
        # the customer's service team, else its latest ticket's
        self.assertEqual(large.user_id, self.agent)
        self.assertEqual(self._visits(self.medium).user_id, self.lead)
        self.assertEqual(small.team_id, self.team_sales)
        # nothing held: every visit whose period ended is late
        late = (large | small | self._visits(self.medium)).filtered(
            lambda v: v.date_due < date(2026, 12, 15)
        )
        self.assertEqual(set(late.mapped("state")), {"late"})
        self.assertEqual(
            self._visits(self.customer)
            .filtered(lambda v: v.date_due == date(2026, 12, 31))
            .state,
            "planned",
        )
        self.assertEqual(self.customer.service_visit_late_count, 11)
        # the per-tier figures the summaries read
        figures = self.env[VISIT]._tier_figures(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertEqual(figures["large"], {"due": 12, "done": 0, "late": 11})
        self.assertEqual(figures["small"], {"due": 2, "done": 0, "late": 1})

    def test_todo_closed_when_recorded(self):
        with self._at("2026-03-02 08:00:00"):
            self._run_cron(CRON)
            visit = self._visits(self.customer)
            self.assertEqual(len(self._todos(visit)), 1)
            self.assertEqual(self._todos(visit).user_id, self.agent)
            with self.assertRaises(UserError):  # a visit without result
                visit.with_user(self.agent)._record({"channel": "phone"})
            wizard = Form(
                self.env["helpdesk.service.visit.record.wizard"]
                .with_user(self.agent)
                .with_context(default_visit_id=visit.id)
            )
            wizard.channel = "visit"
            wizard.result = "All printers run."
            wizard.customer_remarks = "Happy with the new fusers."
            wizard.next_steps = "Train the new IT staff."
            wizard.save().action_record()
            self.assertEqual(visit.state, "done")
            self.assertEqual(visit.channel, "visit")
            self.assertEqual(str(visit.date_done), "2026-03-02")
            self.assertFalse(self._todos(visit))
            # recorded is final, and never planned again in its period
            with self.assertRaises(UserError):
                visit.with_user(self.agent).result = "Changed"
            with self.assertRaises(AccessError):
                visit.with_user(self.agent).state = "planned"
            self._run_cron(CRON)
            self.assertEqual(self._visits(self.customer), visit)
            self.assertFalse(self._todos(visit))

    def test_unique_per_period(self):
        with self._at("2026-03-02 08:00:00"):
            self._run_cron(CRON)
            visit = self._visits(self.customer)
            values = visit.copy_data()[0]
            with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
                self.env[VISIT].sudo().create(values)

    def test_birthday_care_once_a_year(self):
        self.contact.birthday = date(1980, 5, 12)
        with self._at("2026-05-08 08:00:00"):
            self._run_cron(CRON)
            self.assertFalse(self._visits(kind="care"))
        for day in ("2026-05-09", "2026-05-10", "2026-05-12"):
            with self._at(f"{day} 08:00:00"):
                self._run_cron(CRON)
        care = self._visits(kind="care")
        self.assertEqual(len(care), 1)
        self.assertEqual(care.care_type, "birthday")
        self.assertEqual(care.birthday_partner_id, self.contact)
        self.assertEqual(care.partner_id, self.customer)
        self.assertEqual(str(care.date_due), "2026-05-12")
        self.assertEqual(self._todos(care).user_id, self.agent)
        with self._at("2026-05-12 10:00:00"):
            care.with_user(self.agent)._record({"result": "Called to wish him well."})
        self.assertEqual(care.state, "done")
        self.assertFalse(self._todos(care))
        with self._at("2027-05-10 08:00:00"):
            self._run_cron(CRON)
        self.assertEqual(len(self._visits(kind="care")), 2)

    def test_access_by_role(self):
        with self._at("2026-03-02 08:00:00"):
            self._run_cron(CRON)
        mine = self._visits(self.customer | self.medium)
        Visit = self.env[VISIT]
        # the serving team's agent and its leader; not another team's agent
        self.assertEqual(
            Visit.with_user(self.agent).search([("id", "in", mine.ids)]), mine
        )
        self.assertEqual(
            Visit.with_user(self.lead).search([("id", "in", mine.ids)]), mine
        )
        self.assertFalse(Visit.with_user(self.agent_2).search([("id", "in", mine.ids)]))
        with self.assertRaises(AccessError):
            mine[0].with_user(self.agent_2).read(["result"])
        with self.assertRaises(AccessError):
            mine[0].with_user(self.agent_2)._record({"result": "Not mine."})
        self.assertEqual(
            Visit.with_user(self.manager).search([("id", "in", mine.ids)]), mine
        )
        # an employee without a service role reads nothing
        with self.assertRaises(AccessError):
            Visit.with_user(self.archivist).search([])
        # agents record, never plan
        with self.assertRaises(AccessError):
            Visit.with_user(self.agent).create(
                {
                    "partner_id": self.customer.id,
                    "period_start": "2026-03-01",
                    "date_due": "2026-03-31",
                }
            )


@tagged("post_install", "-at_install")
class TestCommunicationRecord(PlanCommon, SatisfactionCommon):
    """The customer relationship file (客户关系维护档案): one timeline of every
    kind of exchange, read by the team serving the customer, its leader and
    the managers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.service_team_id = cls.team_support
        cls.acceptance, cls.satisfaction = cls._accepted()
        cls.plan = cls._confirmed(tickets=cls.ticket_2)
        cls.env["helpdesk.service.plan.progress"].sudo().create(
            {
                "plan_id": cls.plan.id,
                "date": "2026-03-09",
                "period_start": "2026-03-02",
                "period_end": "2026-03-08",
                "state": "sent",
            }
        )
        cls.env["helpdesk.service.sla.statement"].sudo().create(
            {
                "agreement_id": cls.agreement.id,
                "date_start": "2026-02-01",
                "date_end": "2026-02-28",
                "state": "sent",
            }
        )
        cls.complaint = cls._create_ticket(
            name="Nobody called back", request_type="complaint"
        )
        cls.contact.birthday = fields.Date.today()
        # the approved minutes of a kick-off; a meeting whose minutes are
        # still a draft is not on the file yet
        Meeting = cls.env["helpdesk.service.meeting"].with_user(cls.agent)
        held = fields.Datetime.now() - timedelta(hours=2)
        cls.meeting = Meeting.create(
            {
                "kind": "kickoff",
                "subject": "Kick-off of the printers plan",
                "plan_id": cls.plan.id,
                "date_start": held,
                "decisions": "<p>Fusers are replaced floor by floor.</p>",
                "present_partner_ids": [
                    Command.set([cls.agent.partner_id.id, cls.contact.id])
                ],
            }
        )
        cls.meeting.action_approve()
        cls.draft_meeting = Meeting.create(
            {
                "kind": "progress",
                "subject": "Progress of the printers plan",
                "plan_id": cls.plan.id,
                "date_start": held,
            }
        )

    def setUp(self):
        super().setUp()
        self._run_cron(CRON)

    def test_timeline_lists_each_kind(self):
        rows = self.customer.with_user(self.agent).service_communication_ids
        self.assertEqual(
            set(rows.mapped("kind")),
            {
                "visit",
                "care",
                "progress",
                "acceptance",
                "satisfaction",
                "complaint",
                "statement",
                "meeting",
            },
        )
        self.assertEqual(rows, rows.sorted(lambda r: r.date, reverse=True))
        meeting_row = rows.filtered(lambda r: r.kind == "meeting")
        self.assertEqual(
            (meeting_row.res_model, meeting_row.res_id, meeting_row.team_id),
            ("helpdesk.service.meeting", self.meeting.id, self.team_support),
        )
        self.assertIn("Kick-off of the printers plan", meeting_row.summary)
        self.assertTrue(all(rows.mapped("summary")))
        visit_row = rows.filtered(lambda r: r.kind == "visit")
        action = visit_row.action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("helpdesk.service.visit", visit_row.res_id),
        )

    def test_timeline_access_by_role(self):
        Record = self.env["helpdesk.service.communication"]
        domain = [("partner_id", "=", self.customer.id)]
        everything = Record.search(domain)
        self.assertEqual(len(everything), 8)
        self.assertEqual(Record.with_user(self.agent).search(domain), everything)
        self.assertEqual(Record.with_user(self.lead).search(domain), everything)
        self.assertEqual(Record.with_user(self.manager).search(domain), everything)
        # an agent of another team: nothing of this customer
        self.assertFalse(Record.with_user(self.agent_2).search(domain))
        self.assertFalse(
            self.customer.with_user(self.agent_2).service_communication_ids
        )
        with self.assertRaises(AccessError):
            Record.with_user(self.archivist).search(domain)
