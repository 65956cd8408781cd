# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.helpdesk_service_agreement.models.system_fields import system_write

from .plan_common import PLAN, PlanCommon

PROGRESS = "helpdesk.service.plan.progress"
CRON = "helpdesk_service_agreement.ir_cron_service_plan_progress"
REQUEST = "helpdesk.service.archive.request"


@tagged("post_install", "-at_install")
class TestPlanProgress(PlanCommon):
    """Progress reports (进度简报) at each plan's cadence, once per period;
    the delay warning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "contact@hsa-customer.example.com"
        cls.plan = cls._confirmed()
        cls.fuser = cls.plan.task_ids.filtered(lambda t: t.name == "Fuser replaced")
        cls.report_task = cls.plan.task_ids - cls.fuser

    def _reports(self, plan=None):
        return self.env[PROGRESS].search([("plan_id", "=", (plan or self.plan).id)])

    def test_weekly_report_once_per_iso_week(self):
        self.report_task.sudo().quality_check_required = False
        self.report_task.write({"state": "1_done"})
        with self._at("2026-03-25 09:00:00"):  # a Wednesday: the fuser is late
            self._run_cron(CRON)
            self._run_cron(CRON)  # twice the same day: one report
            report = self._reports()
            self.assertEqual(len(report), 1)
            self.assertEqual(str(report.period_start), "2026-03-23")
            self.assertEqual(str(report.period_end), "2026-03-29")
            self.assertEqual(report.state, "sent")
            self.assertEqual(report.done_task_ids, self.report_task)
            self.assertEqual(report.in_progress_task_ids, self.fuser)
            self.assertEqual(report.late_task_ids, self.fuser)
            self.assertIn("Fuser replaced", report.summary)
            mail = self.env["mail.mail"].search(
                [("model", "=", PROGRESS), ("res_id", "=", report.id)]
            )
            self.assertEqual(mail.recipient_ids, self.contact)
            self.assertTrue(
                self.env[REQUEST].search(
                    [("filing_key", "=", f"progress_report:{report.id}")]
                )
            )
        with self._at("2026-03-29 09:00:00"):  # Sunday, same ISO week
            self._run_cron(CRON)
            self.assertEqual(len(self._reports()), 1)
        with self._at("2026-03-30 09:00:00"):  # next Monday
            self._run_cron(CRON)
            self.assertEqual(len(self._reports()), 2)

    def test_daily_and_none_cadence(self):
        daily = self._confirmed(self.ticket_2, title="Daily", report_cadence="daily")
        silent = self._confirmed(self.ticket_2, title="Silent", report_cadence="none")
        draft = self._plan(self.ticket_2, title="Draft", report_cadence="daily")
        for day in ("2026-03-10", "2026-03-10", "2026-03-11"):
            with self._at(f"{day} 09:00:00"):
                self._run_cron(CRON)
        self.assertEqual(len(self._reports(daily)), 2)
        self.assertFalse(self._reports(silent))
        self.assertFalse(self._reports(draft))

    def test_report_in_contact_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.contact.lang = "zh_CN"
        with self._at("2026-03-10 09:00:00"):
            self._run_cron(CRON)
        mail = self.env["mail.mail"].search(
            [("model", "=", PROGRESS), ("res_id", "in", self._reports().ids)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("FA", mail.subject)

    def test_unique_per_period(self):
        with self._at("2026-03-10 09:00:00"):
            self._run_cron(CRON)
        report = self._reports()
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
            system_write("plan_id", "state"),
        ):
            self.env[PROGRESS].create(
                {
                    "plan_id": self.plan.id,
                    "date": report.date,
                    "period_start": report.period_start,
                    "period_end": report.period_end,
                }
            )
            self.env.flush_all()

    def test_users_never_create_reports(self):
        with self.assertRaises(AccessError):
            self.env[PROGRESS].with_user(self.agent).create(
                {
                    "plan_id": self.plan.id,
                    "date": "2026-03-10",
                    "period_start": "2026-03-10",
                    "period_end": "2026-03-10",
                }
            )

    def test_portal_sees_sent_reports_not_internal_fields(self):
        with self._at("2026-03-10 09:00:00"):
            self._run_cron(CRON)
        report = self._reports()
        portal = new_test_user(
            self.env,
            login="hsa_progress_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        self.assertEqual(self.env[PROGRESS].with_user(portal).search([]), report)
        self.assertTrue(report.with_user(portal).summary)
        with self.assertRaises(AccessError):
            report.with_user(portal).done_task_ids.read(["delay_reason"])

    def test_delay_flag_warns_customer_once(self):
        def warnings():
            return self.env["mail.mail"].search(
                [("model", "=", "project.task"), ("res_id", "=", self.fuser.id)]
            )

        with self._refused(UserError, "Say why"):
            self.fuser.with_user(self.agent).write({"delay_expected": True})
        self.fuser.with_user(self.agent).write(
            {"delay_expected": True, "delay_reason": "Parts arrive late."}
        )
        self.assertEqual(len(warnings()), 1)
        self.assertEqual(warnings().recipient_ids, self.contact)
        self.assertIn("Parts arrive late.", warnings().body_html)
        # flagged again while flagged: no second mail
        self.fuser.with_user(self.agent).write({"delay_expected": True})
        self.assertEqual(len(warnings()), 1)
        with self._at("2026-03-10 09:00:00"):
            self._run_cron(CRON)
        self.assertEqual(self._reports().delayed_task_ids, self.fuser)

    def _confirmed_plans(self, count):
        """``count`` confirmed weekly plans of the customer, made directly."""
        plans = self.env[PLAN].create(
            [
                {
                    "title": f"Plan {index}",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "report_cadence": "weekly",
                }
                for index in range(count)
            ]
        )
        with system_write("state"):
            plans.write({"state": "confirmed"})
        return plans

    def _pass_queries(self, count, mail=True):
        # only the new plans are due
        with system_write("report_cadence"):
            self.env[PLAN].search([("state", "=", "confirmed")]).sudo().write(
                {"report_cadence": "none"}
            )
        plans = self._confirmed_plans(count)
        self.env.flush_all()
        self.env.invalidate_all()
        Progress = self.env[PROGRESS].with_context(hsa_progress_no_mail=not mail)
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", lambda *a, **k: True
        ):
            before = self.env.cr.sql_log_count
            Progress._cron_send_progress_reports(batch_size=1000)
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(plans.progress_ids), count)
        return queries

    def test_progress_pass_query_count(self):
        """10 or 500 plans: the same queries per batch when mail is off (the
        ORM inserts 100 rows per query: 4 more for each of the reports and
        their filing requests), and mail's own cost per report otherwise."""
        with self._at("2026-03-02 09:00:00"):
            self._pass_queries(10)  # caches of rights, rules, templates
        with self._at("2026-03-09 09:00:00"):
            self._pass_queries(10, mail=False)
        with self._at("2026-03-16 09:00:00"):
            small = self._pass_queries(10, mail=False)
        with self._at("2026-03-23 09:00:00"):
            large = self._pass_queries(500, mail=False)
        self.assertEqual(large, small + 2 * 4)
        with self._at("2026-03-30 09:00:00"):
            small_mail = self._pass_queries(10)
        with self._at("2026-04-06 09:00:00"):
            large_mail = self._pass_queries(500)
        # mail renders and queues the reports in batches too: less than a
        # query per report beyond the pass's own
        self.assertLess(large_mail - large, 500 - 10)
        self.assertGreater(large_mail, small_mail)


@tagged("post_install", "-at_install")
class TestPlanProgressPortal(PlanCommon, HttpCase):
    """The plan's portal page lists its sent progress reports, never an
    internal field of the tasks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_progress_portal_page",
            password="hsa_progress_portal_page_pw",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.plan = cls._confirmed()
        task = cls.plan.task_ids[:1]
        task.write(
            {"delay_expected": True, "delay_reason": "Secret: the supplier went bust"}
        )

    def test_page_lists_progress_reports(self):
        self.authenticate("hsa_progress_portal_page", "hsa_progress_portal_page_pw")
        response = self.url_open(self.plan.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("service_plan_progress", response.text)
        with self._at("2026-03-10 09:00:00"):
            self._run_cron(CRON)
        response = self.url_open(self.plan.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("service_plan_progress", response.text)
        self.assertIn("Progress Reports", response.text)
        self.assertIn("Fuser replaced", response.text)
        self.assertNotIn("supplier went bust", response.text)
