# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .sla_common import SlaCommon

HELD_HOURS_CRON = "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_held_hours"


@tagged("post_install", "-at_install")
class TestSlaComplianceReport(SlaCommon):
    """A fixed week of tickets on the Shanghai calendar (09:00-12:00,
    13:00-18:00, Monday to Friday; 2026-03-02 is a Monday). Level 1: resolved
    in 24 working hours, no response target; level 2 (very high priority):
    answered in 12 and resolved in 48 working hours. All open on Monday 10:00,
    so a level 2 response is due Tuesday 15:00."""

    def _reply(self, ticket, local):
        with self._at_local(local):
            ticket.with_user(self.lead).message_post(
                body="We are on it.",
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )

    def _stage(self, ticket, stage, local):
        with self._at_local(local):
            ticket.stage_id = stage

    def _week(self):
        tickets = {
            # level 2, answered Monday 11:30 and resolved Tuesday 10:00
            "in_time": self._new_ticket(priority="3"),
            # level 1, resolved on Thursday 11:00, past its deadline (10:00)
            "late": self._new_ticket(),
            # level 1, waits on the customer Monday 11:00 - Tuesday 11:00
            "paused": self._new_ticket(),
            # level 2, closed Monday 16:00 without a reply, before its
            # response deadline
            "no_reply": self._new_ticket(priority="3"),
            # level 2, closed Wednesday 10:00 without a reply, after it
            "no_reply_late": self._new_ticket(priority="3"),
            # level 2, answered Wednesday 10:00 (late), still open
            "answered_late": self._new_ticket(priority="3"),
            # level 1, still open and on time as far as the clock knows
            "open": self._new_ticket(),
        }
        self._stage(tickets["paused"], self.stage_waiting, "2026-03-02 11:00")
        self._reply(tickets["in_time"], "2026-03-02 11:30")
        self._stage(tickets["no_reply"], self.stage_done, "2026-03-02 16:00")
        self._stage(tickets["in_time"], self.stage_done, "2026-03-03 10:00")
        self._stage(tickets["paused"], self.stage_progress, "2026-03-03 11:00")
        self._stage(tickets["no_reply_late"], self.stage_done, "2026-03-04 10:00")
        self._reply(tickets["answered_late"], "2026-03-04 10:00")
        self._stage(tickets["paused"], self.stage_done, "2026-03-04 12:00")
        # the nightly count of the clocks still running, Thursday 09:30
        with self._at_local("2026-03-05 09:30"):
            self._run_cron(HELD_HOURS_CRON)
        self._stage(tickets["late"], self.stage_done, "2026-03-05 11:00")
        return tickets

    def _rows(self, tickets):
        Report = self.env["helpdesk.sla.report"].with_user(self.lead)
        rows = Report.search([("ticket_id", "in", [t.id for t in tickets.values()])])
        return {
            name: rows.filtered(lambda r, t=t: r.ticket_id == t)
            for name, t in tickets.items()
        }

    def test_rows_of_the_week(self):
        tickets = self._week()
        rows = self._rows(tickets)
        self.assertEqual(sum(len(row) for row in rows.values()), 7, "one phase each")
        outcome = {
            name: (
                row.met,
                row.breached,
                row.response_met,
                row.response_breached,
                row.resolution_met,
                row.resolution_breached,
            )
            for name, row in rows.items()
        }
        self.assertEqual(
            outcome,
            {
                "in_time": (1, 0, 1, 0, 1, 0),
                "late": (0, 1, 0, 0, 0, 1),
                "paused": (1, 0, 0, 0, 1, 0),
                # closed before the response deadline, but the customer
                # never got an answer: the response is missed
                "no_reply": (0, 1, 0, 1, 1, 0),
                "no_reply_late": (0, 1, 0, 1, 1, 0),
                "answered_late": (0, 1, 0, 1, 0, 0),
                "open": (0, 0, 0, 0, 0, 0),
            },
        )
        self.assertEqual(rows["in_time"].compliance, 100.0)
        self.assertEqual(rows["late"].compliance, 0.0)
        self.assertEqual(rows["in_time"].team_id, self.team_support)
        self.assertEqual(rows["in_time"].user_id, self.lead, "level 2: the lead")
        self.assertEqual(rows["in_time"].commercial_partner_id, self.customer)
        self.assertEqual(rows["in_time"].agreement_id, self.agreement)
        # first response, working hours: Monday 10:00-11:30
        self.assertAlmostEqual(rows["in_time"].response_work_hours, 1.5)
        # Monday 10:00 - Wednesday 10:00: Monday 7, Tuesday 8, Wednesday 1
        self.assertAlmostEqual(rows["answered_late"].response_work_hours, 16.0)
        hours = {
            name: (row.resolution_work_hours, row.held_hours)
            for name, row in rows.items()
        }
        self.assertEqual(
            hours,
            {
                # Monday 10-12, 13-18, Tuesday 9-10
                "in_time": (8.0, 8.0),
                # Monday 7, Tuesday 8, Wednesday 8, Thursday 9-11
                "late": (25.0, 25.0),
                # Monday 10:00 - Wednesday 12:00 is 18 working hours, 8 of
                # them paused (Monday 11-12, 13-18, Tuesday 9-11)
                "paused": (10.0, 10.0),
                # Monday 10-12, 13-16
                "no_reply": (5.0, 5.0),
                # Monday 7, Tuesday 8, Wednesday 9-10
                "no_reply_late": (16.0, 16.0),
                # still open: held until Thursday 09:30 (the nightly count),
                # Monday 7, Tuesday 8, Wednesday 8, Thursday 0.5
                "answered_late": (0.0, 23.5),
                "open": (0.0, 23.5),
            },
        )

    def test_compliance_figures(self):
        tickets = self._week()
        domain = [("ticket_id", "in", [t.id for t in tickets.values()])]
        Report = self.env["helpdesk.sla.report"].with_user(self.lead)
        Report._get_compliance_figures(domain)  # caches of rights and rules
        self.env.flush_all()
        with self.assertQueryCount(1):
            (total,) = Report._get_compliance_figures(domain)
        # met: in time, paused; breached: late, no reply, no reply late,
        # answered late; the open one neither
        self.assertEqual((total["tickets"], total["met"], total["breached"]), (7, 2, 4))
        self.assertAlmostEqual(total["compliance"], 100 / 3)
        # responses 1.5 and 16: median 8.75, 90th 1.5 + 0.9 * 14.5 = 14.55
        self.assertAlmostEqual(total["response_p50"], 8.75)
        self.assertAlmostEqual(total["response_p90"], 14.55)
        # resolutions 5, 8, 10, 16, 25: median 10; 90th at rank 0.9 * 4 =
        # 3.6, 16 + 0.6 * (25 - 16) = 21.4
        self.assertAlmostEqual(total["resolution_p50"], 10.0)
        self.assertAlmostEqual(total["resolution_p90"], 21.4)
        # level 1: 25 + 10 + 23.5; level 2: 8 + 5 + 16 + 23.5
        self.assertEqual(total["held_hours_by_level"], {"1": 58.5, "2": 52.5, "3": 0.0})

        by_level = {
            figures["level"]: figures
            for figures in Report._get_compliance_figures(domain, ["level"])
        }
        self.assertEqual(set(by_level), {"1", "2"})
        level_1, level_2 = by_level["1"], by_level["2"]
        self.assertEqual(
            (level_1["tickets"], level_1["met"], level_1["breached"]), (3, 1, 1)
        )
        self.assertAlmostEqual(level_1["compliance"], 50.0)
        self.assertIsNone(level_1["response_p50"], "no response target at level 1")
        # resolutions 10 and 25: median 17.5, 90th 10 + 0.9 * 15 = 23.5
        self.assertAlmostEqual(level_1["resolution_p50"], 17.5)
        self.assertAlmostEqual(level_1["resolution_p90"], 23.5)
        self.assertEqual(
            (level_2["tickets"], level_2["met"], level_2["breached"]), (4, 1, 3)
        )
        # resolutions 5, 8, 16: median 8, 90th 8 + 0.8 * (16 - 8) = 14.4
        self.assertAlmostEqual(level_2["resolution_p50"], 8.0)
        self.assertAlmostEqual(level_2["resolution_p90"], 14.4)
        self.assertEqual(level_2["held_hours_by_level"]["1"], 0.0)

        (month,) = Report._get_compliance_figures(
            domain, ["date_start:month", "team_id"]
        )
        self.assertEqual(month["team_id"], self.team_support)
        self.assertEqual(month["tickets"], 7)
        self.assertFalse(Report._get_compliance_figures([("id", "=", 0)], ["level"]))

    def test_pivot_measures(self):
        """The pivot's aggregates: sums, the average compliance is met over
        met and breached, the percentile measures are percentiles."""
        tickets = self._week()
        domain = [("ticket_id", "in", [t.id for t in tickets.values()])]
        Report = self.env["helpdesk.sla.report"].with_user(self.lead)
        groups = Report._read_group(
            domain,
            ["level"],
            [
                "__count",
                "met:sum",
                "breached:sum",
                "compliance:avg",
                "held_hours:sum",
                "response_hours_p50:avg",
                "resolution_hours_p90:avg",
            ],
        )
        self.assertEqual(
            [group[:4] for group in groups], [("1", 3, 1, 1), ("2", 4, 1, 3)]
        )
        self.assertAlmostEqual(groups[1][4], 25.0)
        self.assertAlmostEqual(groups[0][5], 58.5)
        self.assertAlmostEqual(groups[1][6], 8.75)
        self.assertAlmostEqual(groups[0][7], 23.5)
        # the filters of the search view
        breached = Report.search(domain + [("breached", "=", 1)])
        self.assertEqual(len(breached), 4)
        with self._at_local("2026-03-20 10:00"):
            self.assertEqual(
                Report.search_count(domain + [("date_start", ">=", "today =1d")]), 7
            )
            self.assertFalse(
                Report.search_count(domain + [("date_start", "<", "today =1d")])
            )

    def test_report_access(self):
        tickets = self._week()
        domain = [("ticket_id", "in", [t.id for t in tickets.values()])]
        Report = self.env["helpdesk.sla.report"]
        for user in (self.agent, self.agent_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Report.with_user(user).search(domain)
            with self.assertRaises(AccessError):
                Report.with_user(user)._get_compliance_figures(domain)
        for user in (self.lead, self.manager, self.archivist):
            with self.subTest(user=user.login):
                self.assertEqual(Report.with_user(user).search_count(domain), 7)
        # the other company's phases are not shown
        other = self.env["res.company"].create({"name": "HSA Other Co"})
        self.lead.company_ids |= other
        self.assertEqual(
            Report.with_user(self.lead)
            .with_context(allowed_company_ids=[other.id])
            .search_count(domain),
            0,
        )

    def test_team_sla_counters(self):
        """At Wednesday 15:00 in Shanghai, after the scheduled check."""
        # Monday 10:00, level 1: at risk since Wednesday 14:12
        at_risk = self._new_ticket()
        # Monday 10:00, level 2: missed its response (Tuesday 15:00), climbs
        # to level 3 at the check, answer due Wednesday 17:00
        breached = self._new_ticket(priority="3")
        # Friday 16:00, level 1: due Wednesday 16:00, at risk since 10:12
        due = self._new_ticket("2026-02-27 16:00")
        # same, but waiting on the customer: its clock is stopped
        paused = self._new_ticket("2026-02-27 16:00")
        self._stage(paused, self.stage_waiting, "2026-03-03 10:00")
        # Friday 09:00, missed Tuesday 18:00, closed: no longer counted
        closed = self._new_ticket("2026-02-27 09:00")
        self._stage(closed, self.stage_done, "2026-03-04 10:00")
        # a pre-sale request of the sales team, at risk
        sales = self._new_ticket(request_type="pre_sale")
        self._check("2026-03-04 15:00")
        self.assertEqual(breached.problem_level, "3")
        self.assertEqual((at_risk | due | sales).mapped("sla_state"), ["at_risk"] * 3)
        self.assertTrue(closed.sla_breached)
        self.assertEqual(sales.team_id, self.team_sales)

        def counters(team, tz):
            self.env.invalidate_all()
            team = team.with_user(self.lead).with_context(tz=tz)
            return (
                team.sla_breached_ticket_count,
                team.sla_at_risk_ticket_count,
                team.sla_due_today_ticket_count,
            )

        with self._at_local("2026-03-04 15:00"):
            self.assertEqual(counters(self.team_support, "Asia/Shanghai"), (1, 2, 2))
            self.assertEqual(counters(self.team_sales, "Asia/Shanghai"), (0, 1, 0))
            team = self.team_support.with_user(self.lead).with_context(
                tz="Asia/Shanghai"
            )
            for method, expected in (
                ("action_open_sla_breached", breached),
                ("action_open_sla_at_risk", at_risk | due),
                ("action_open_sla_due_today", breached | due),
            ):
                with self.subTest(method=method):
                    action = getattr(team, method)()
                    self.assertEqual(action["res_model"], "helpdesk.ticket")
                    self.assertEqual(action["views"][0], (False, "list"))
                    found = team.env["helpdesk.ticket"].search(action["domain"])
                    self.assertEqual(found, expected)
        # Thursday 07:00 in Shanghai is still Wednesday in UTC: "today" is
        # the user's (Thursday: the first ticket's resolution at 10:00)
        with self._at_local("2026-03-05 07:00"):
            for tz, expected in (("Asia/Shanghai", at_risk), ("UTC", breached | due)):
                with self.subTest(tz=tz):
                    self.assertEqual(counters(self.team_support, tz)[2], len(expected))
                    team = self.team_support.with_user(self.lead).with_context(tz=tz)
                    action = team.action_open_sla_due_today()
                    found = team.env["helpdesk.ticket"].search(action["domain"])
                    self.assertEqual(found, expected)

    def test_screens_open_for_their_roles(self):
        """The report's views load and the pivot's grouping sets (totals
        included) compute for a lead and an archivist; the dashboard card
        reads its counters for an agent."""
        tickets = self._week()
        domain = [("ticket_id", "in", [t.id for t in tickets.values()])]
        for user in (self.lead, self.archivist):
            with self.subTest(user=user.login):
                Report = self.env["helpdesk.sla.report"].with_user(user)
                views = Report.get_views(
                    [(False, view) for view in ("pivot", "graph", "list", "search")]
                )
                self.assertIn("compliance", views["models"][Report._name]["fields"])
                sets = Report.formatted_read_grouping_sets(
                    domain,
                    [["team_id", "level"], ["team_id"], ["level"], []],
                    [
                        "__count",
                        "met:sum",
                        "breached:sum",
                        "compliance:avg",
                        "response_hours_p50:avg",
                        "resolution_hours_p90:avg",
                    ],
                )
                (total,) = sets[3]
                self.assertEqual(total["__count"], 7)
                self.assertAlmostEqual(total["compliance:avg"], 100 / 3)
                self.assertAlmostEqual(total["response_hours_p50:avg"], 8.75)
                self.assertAlmostEqual(total["resolution_hours_p90:avg"], 21.4)
                self.assertEqual(len(sets[0]), 2, "support team, levels 1 and 2")
        Team = self.env["helpdesk.ticket.team"].with_user(self.agent)
        Team.get_views([(False, "kanban")])
        (card,) = Team.web_search_read(
            [("id", "=", self.team_support.id)],
            {"sla_breached_ticket_count": {}, "sla_due_today_ticket_count": {}},
        )["records"]
        self.assertEqual(card["sla_breached_ticket_count"], 1, "the one answered late")
