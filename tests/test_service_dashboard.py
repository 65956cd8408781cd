# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The manager's service dashboard (issue 20): tiles of the period against
the targets and the previous period, filtered by team, customer and
agreement; every tile opens exactly the records it counted; the figures are
the service summary's and take a fixed number of queries."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from . import test_sla_compliance_report as report_tests
from .sla_common import SlaCommon

DASHBOARD = "helpdesk.service.dashboard"


@tagged("post_install", "-at_install")
class TestServiceDashboard(SlaCommon):
    _reply = report_tests.TestSlaComplianceReport._reply
    _stage = report_tests.TestSlaComplianceReport._stage
    _week = report_tests.TestSlaComplianceReport._week

    def _dashboard(self, user=None, local="2026-03-20 10:00", **vals):
        with self._at_local(local):
            return self.env[DASHBOARD].with_user(user or self.manager).create(vals)

    def _tiles(self, dashboard):
        return {tile.key: tile for tile in dashboard.tile_ids}

    def _records(self, tile, local="2026-03-20 10:00"):
        """The records the tile's button opens, searched when it was computed."""
        action = tile.action_open_records()
        Model = self.env[action["res_model"]].with_context(active_test=False)
        with self._at_local(local):
            return Model.search(action["domain"])

    def test_tiles_are_the_summary_figures_and_open_their_records(self):
        self._week()
        dashboard = self._dashboard(partner_id=self.customer.id)
        tiles = self._tiles(dashboard)
        summary = self.env["helpdesk.service.summary"].create(
            {
                "scope": "customer",
                "partner_id": self.customer.id,
                "date_start": "2026-03-01",
                "date_end": "2026-03-31",
            }
        )
        summary.action_refresh_figures()
        start, end = summary._period()
        domains = summary._figure_domains(start, end)
        for key in ("compliance_level_1", "compliance_level_2", "response_p50"):
            self.assertAlmostEqual(tiles[key].value, summary[key], places=2)
            model, domain = domains[key]
            self.assertEqual(tiles[key].res_model, model)
            self.assertEqual(
                self._records(tiles[key]),
                self.env[model].search(domain),
                f"{key}: the drill-down opens the summary's records",
            )
        # compliance of level 1: the rows it opens give the figure
        rows = self._records(tiles["compliance_level_1"])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("level")), {"1"})
        met = sum(rows.mapped("met"))
        self.assertAlmostEqual(
            tiles["compliance_level_1"].value, round(100.0 * met / len(rows), 2)
        )
        # the tickets breached and at risk now, the agreements in their
        # notice window: the drill-down opens exactly the counted records
        for key in ("sla_breached_now", "sla_at_risk_now", "agreements_notice_window"):
            self.assertEqual(len(self._records(tiles[key])), tiles[key].value, key)
        self.assertGreaterEqual(tiles["sla_breached_now"].value, 1)
        breached = self._records(tiles["sla_breached_now"])
        self.assertEqual(breached.commercial_partner_id, self.customer)
        self.assertFalse(any(breached.stage_id.mapped("closed")))

    def test_no_data_tiles_and_the_previous_period(self):
        self._week()
        # April: nothing yet; March is the previous period
        tiles = self._tiles(self._dashboard(local="2026-04-10 10:00"))
        recommend = tiles["recommend_rate"]
        self.assertEqual(recommend.target_state, "no_data")
        self.assertEqual(recommend.value_display, "—")
        self.assertEqual(recommend.reason, "no answers")
        self.assertEqual(recommend.target_display, "80")
        level_1 = tiles["compliance_level_1"]
        self.assertEqual(level_1.target_state, "no_data")
        self.assertEqual(level_1.previous_display, "50.00")
        self.assertFalse(self._records(level_1, "2026-04-10 10:00"))
        # March itself: the level's clocks, met and missed
        march = self._tiles(self._dashboard())
        self.assertEqual(march["compliance_level_1"].value_display, "50.00")
        self.assertTrue(march["compliance_level_1"].has_bar)

    def test_filters(self):
        self._week()
        other = self.env["res.partner"].create(
            {"name": "HSA Other Ltd", "is_company": True}
        )
        tiles = self._tiles(self._dashboard(partner_id=other.id))
        self.assertEqual(tiles["sla_breached_now"].value, 0)
        self.assertEqual(tiles["compliance_level_1"].target_state, "no_data")
        tiles = self._tiles(self._dashboard(team_id=self.team_sales.id))
        self.assertEqual(tiles["compliance_level_1"].target_state, "no_data")
        dashboard = self._dashboard(agreement_id=self.agreement.id)
        tiles = self._tiles(dashboard)
        self.assertEqual(tiles["compliance_level_1"].value_display, "50.00")
        # changing a filter recomputes the tiles
        with self._at_local("2026-03-20 10:00"):
            dashboard.write({"team_id": self.team_sales.id})
        tiles = self._tiles(dashboard)
        self.assertEqual(tiles["compliance_level_1"].target_state, "no_data")

    def test_fixed_number_of_queries(self):
        self._week()
        dashboard = self._dashboard()

        def count():
            # twice: the first fills the caches of access rules and rights
            for _run in range(2):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                with self._at_local("2026-03-20 10:00"):
                    dashboard.action_refresh()
                # what the refresh leaves to write counts too (as in
                # assertQueryCount, which flushes)
                self.env.flush_all()
            return self.env.cr.sql_log_count - before

        few = count()
        for _index in range(5):
            self._new_ticket(local="2026-03-09 10:00", priority="3")
        self._new_ticket(local="2026-03-09 10:00", request_type="complaint")
        self.env.flush_all()
        self.assertEqual(count(), few, "as many queries with more tickets")
        # the figures of the whole dashboard (all tiles, this and the previous
        # period) in a few dozen queries
        self.assertLessEqual(few, 50)

    def test_roles(self):
        self._dashboard(user=self.lead)
        with self.assertRaises(AccessError):
            self._dashboard(user=self.agent)
        action = self.env[DASHBOARD].with_user(self.lead).action_open_dashboard()
        self.assertEqual(action["res_model"], DASHBOARD)
        self.assertTrue(action["res_id"])
