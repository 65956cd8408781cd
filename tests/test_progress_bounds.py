# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import tagged

from .plan_common import PlanCommon

PROGRESS = "helpdesk.service.plan.progress"
CHECK = "helpdesk.service.plan.quality.check"
CRON = "helpdesk_service_agreement.ir_cron_service_plan_progress"


@tagged("post_install", "-at_install")
class TestProgressBounds(PlanCommon):
    """Progress reports (进度简报) only within the plan's dates: the first
    period starts at the plan's start, the last ends at its end, nothing
    before nor after; each report tells the quality checks recorded since
    the previous one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Wednesday 4 March to Friday 20 March 2026, weekly
        cls.plan = cls._confirmed(
            date_start=date(2026, 3, 4), date_end=date(2026, 3, 20)
        )
        cls.fuser = cls.plan.task_ids.filtered(lambda t: t.name == "Fuser replaced")
        cls.test_report = cls.plan.task_ids - cls.fuser

    def _reports(self):
        return self.env[PROGRESS].search(
            [("plan_id", "=", self.plan.id)], order="period_start"
        )

    def _run_on(self, day):
        with self._at(f"{day} 09:00:00"):
            self._run_cron(CRON)

    def test_periods_cut_to_the_plan_dates(self):
        self._run_on("2026-03-02")  # Monday before the start
        self._run_on("2026-03-03")
        self.assertFalse(self._reports(), "no report before the plan starts")
        self._run_on("2026-03-04")  # the start, a Wednesday
        self._run_on("2026-03-06")
        first = self._reports()
        self.assertEqual(len(first), 1)
        self.assertEqual(first.period_start, date(2026, 3, 4))
        self.assertEqual(first.period_end, date(2026, 3, 8))
        self._run_on("2026-03-09")
        self.assertEqual(self._reports()[-1].period_start, date(2026, 3, 9))
        self.assertEqual(self._reports()[-1].period_end, date(2026, 3, 15))
        self._run_on("2026-03-16")
        last = self._reports()[-1]
        self.assertEqual(last.period_start, date(2026, 3, 16))
        self.assertEqual(last.period_end, date(2026, 3, 20), "ends with the plan")
        for day in ("2026-03-20", "2026-03-21", "2026-03-23", "2026-03-30"):
            self._run_on(day)
        self.assertEqual(len(self._reports()), 3, "nothing after the plan's end")

    def test_daily_reports_stop_at_the_end(self):
        daily = self._confirmed(
            self.ticket_2,
            title="Daily",
            report_cadence="daily",
            date_start=date(2026, 3, 4),
            date_end=date(2026, 3, 20),
        )
        for day in ("2026-03-03", "2026-03-04", "2026-03-20", "2026-03-21"):
            self._run_on(day)
        reports = self.env[PROGRESS].search(
            [("plan_id", "=", daily.id)], order="period_start"
        )
        self.assertEqual(
            reports.mapped("period_start"), [date(2026, 3, 4), date(2026, 3, 20)]
        )

    def test_quality_checks_since_the_previous_report(self):
        with self._at("2026-03-04 08:00:00"):
            self.env[CHECK].with_user(self.lead).create(
                {
                    "task_id": self.fuser.id,
                    "criteria": "20 pages a minute",
                    "result": "pass",
                    "remarks": "Internal remark",
                }
            )
        self._run_on("2026-03-04")
        first = self._reports()
        self.assertIn("Quality checks passed: 1", first.summary)
        self.assertIn("Quality checks failed: 0", first.summary)
        self.assertIn("Fuser replaced", first.summary)
        self.assertNotIn("Internal remark", first.summary)
        self.assertIn("Done: 0", first.summary)
        with self._at("2026-03-05 15:00:00"):
            self.env[CHECK].with_user(self.lead).create(
                {
                    "task_id": self.test_report.id,
                    "criteria": "Signed by the IT lead",
                    "result": "fail",
                    "corrective_action": "Have it signed",
                }
            )
        self._run_on("2026-03-09")
        second = self._reports()[-1]
        self.assertIn("Quality checks passed: 0", second.summary)
        self.assertIn("Quality checks failed: 1", second.summary)
        self.assertIn("Test report", second.summary)

    def test_chinese_summary_in_full_width(self):
        """The customer's Chinese summary: full-width colons, names listed
        with 、 (translations of i18n/zh_CN.po)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.contact.lang = "zh_CN"
        with self._at("2026-03-04 08:00:00"):
            for task in (self.fuser, self.test_report):
                self.env[CHECK].with_user(self.lead).create(
                    {"task_id": task.id, "criteria": "Checked", "result": "pass"}
                )
        self._run_on("2026-03-04")
        summary = str(self._reports().summary)
        self.assertIn("已完成：0", summary)
        self.assertIn("内部质量检查合格：2", summary)
        self.assertNotIn(": ", summary)
