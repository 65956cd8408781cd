# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .plan_common import PlanCommon

CHECK = "helpdesk.service.plan.quality.check"
REQUEST = "helpdesk.service.archive.request"


@tagged("post_install", "-at_install")
class TestPlanQuality(PlanCommon):
    """Internal quality checks (内部质量检查记录) by team leads, the gate of a
    task's done state and the leads' to-dos."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._confirmed()
        cls.tasks = cls.plan.task_ids
        cls.task = cls.tasks.filtered(lambda task: task.name == "Fuser replaced")

    def _check(self, user=None, **vals):
        values = {
            "task_id": self.task.id,
            "criteria": "20 pages a minute",
            "result": "pass",
        }
        values.update(vals)
        return self.env[CHECK].with_user(user or self.lead).create(values)

    def test_done_needs_passed_check(self):
        with self._refused(UserError, "passed quality check"):
            self.task.with_user(self.agent).write({"state": "1_done"})
        self.assertNotEqual(self.task.state, "1_done")
        self._check(result="fail", corrective_action="Replace the roller")
        self.assertEqual(self.task.quality_result, "fail")
        with self._refused(UserError, "passed quality check"):
            self.task.with_user(self.agent).write({"state": "1_done"})
        check = self._check()
        self.assertEqual(check.checker_id, self.lead)
        self.assertEqual(check.plan_id, self.plan)
        self.assertEqual(self.task.quality_result, "pass")
        self.task.with_user(self.agent).write({"state": "1_done"})
        self.assertEqual(self.task.state, "1_done")
        # the check is filed in the archive
        self.assertTrue(
            self.env[REQUEST].search([("filing_key", "=", f"quality_check:{check.id}")])
        )

    def test_task_without_required_check_closes(self):
        task = self.tasks - self.task
        task.sudo().quality_check_required = False
        task.with_user(self.agent).write({"state": "1_done"})
        self.assertEqual(task.state, "1_done")

    def test_criteria_required_and_failed_needs_action(self):
        for criteria in (False, "", "   "):
            with self._refused(UserError, "criteria"):
                self._check(criteria=criteria)
        with self._refused(UserError, "corrective action"):
            self._check(result="fail")
        self.assertFalse(self.env[CHECK].search([("task_id", "=", self.task.id)]))

    def test_only_leads_and_managers_record(self):
        for user in (self.agent, self.archivist):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._check(user=user)
        self._check(user=self.manager)
        check = self._check(user=self.lead)
        # agents and archivists read, never write
        check.with_user(self.agent).read(["result"])
        with self.assertRaises(AccessError):
            check.with_user(self.agent).write({"remarks": "fine"})

    def test_portal_never_reads_checks(self):
        check = self._check(remarks="Internal: the technician was late")
        portal = new_test_user(
            self.env,
            login="hsa_quality_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        with self.assertRaises(AccessError):
            check.with_user(portal).read(["remarks"])
        with self.assertRaises(AccessError):
            self.task.with_user(portal).read(["delay_reason"])

    def test_other_company_cannot_read(self):
        check = self._check()
        other = self.env["res.company"].create({"name": "HSA Other Co"})
        outsider = new_test_user(
            self.env,
            login="hsa_quality_other_lead",
            groups="helpdesk_service_agreement.group_service_team_lead",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(
            self.env[CHECK].with_user(outsider).search([("id", "=", check.id)])
        )

    def test_lead_todo_for_ready_or_late_tasks(self):
        Activity = self.env["mail.activity"]

        def todos():
            return Activity.search(
                [
                    ("res_model", "=", "project.task"),
                    ("res_id", "in", self.tasks.ids),
                    ("user_id", "=", self.lead.id),
                ]
            )

        with self._at("2026-03-10 08:00:00"):
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_service_plan_quality_todo"
            )
            self.assertFalse(todos())
            # the owner marks the task ready (approved): the lead checks it
            self.task.with_user(self.agent).write({"state": "03_approved"})
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_service_plan_quality_todo"
            )
            self.assertEqual(todos().res_id, self.task.id)
        with self._at("2026-03-21 08:00:00"):
            # once per task, even when its deadline passes later
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_service_plan_quality_todo"
            )
            self.assertEqual(len(todos()), 1)

    def test_archive_files_check_and_progress_report(self):
        check = self._check(remarks="All printers fine")
        with self._at("2026-03-10 09:00:00"):
            self._run_cron("helpdesk_service_agreement.ir_cron_service_plan_progress")
        report = self.plan.progress_ids
        self.assertEqual(len(report), 1)
        self._run_cron(
            "helpdesk_service_agreement.ir_cron_helpdesk_service_archive_file"
        )
        self.env.invalidate_all()
        for document_type, record in (
            ("quality_check", check),
            ("progress_report", report),
        ):
            request = self.env[REQUEST].search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            )
            with self.subTest(document_type=document_type):
                self.assertEqual(request.document_type, document_type)
                self.assertEqual(request.state, "filed", request.error)
                self.assertEqual(request.document_id.partner_id, self.customer)
