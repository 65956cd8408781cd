# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.helpdesk_service_agreement.models.system_fields import system_write

from .acceptance_common import signature_png
from .plan_common import PlanCommon


@tagged("post_install", "-at_install")
class TestPlanTasks(PlanCommon):
    """A confirmed plan's deliverables become project tasks, once; the task
    tracking list (服务任务跟踪表)."""

    def _tasks(self, plan):
        return self.env["project.task"].search([("service_plan_id", "=", plan.id)])

    def test_tasks_created_once_on_confirmation(self):
        self.customer.customer_code = "C0042"
        plan = self._confirmed()
        tasks = self._tasks(plan)
        self.assertEqual(len(tasks), 2)
        self.assertEqual(plan.task_count, 2)
        fuser = tasks.filtered(lambda task: task.name == "Fuser replaced")
        line = fuser.service_plan_deliverable_id
        self.assertEqual(line.plan_id, plan)
        self.assertEqual(fuser.date_deadline, datetime(2026, 3, 20))
        self.assertEqual(fuser.service_date_start, date(2026, 3, 1))
        self.assertIn("Prints 20 pages a minute.", fuser.description)
        self.assertIn("floor 2", fuser.description)
        self.assertTrue(fuser.quality_check_required)
        project = fuser.project_id
        self.assertEqual(project.service_customer_id, self.customer)
        self.assertEqual(
            project.name, f"{self.customer.commercial_customer_code} HSA Customer Ltd"
        )
        self.assertEqual(tasks.project_id, project)
        # the plan's tickets get the project (helpdesk_mgmt_project)
        self.assertEqual(self.ticket.project_id, project)
        # idempotent: a second pass creates nothing
        plan._sync_tasks()
        self.assertEqual(len(self._tasks(plan)), 2)
        # a second plan of the customer goes into the same project
        other = self._confirmed(self.ticket_2, title="Second plan")
        self.assertEqual(self._tasks(other).project_id, project)
        self.assertEqual(
            self.env["project.project"].search_count(
                [("service_customer_id", "=", self.customer.id)]
            ),
            1,
        )

    def test_owner_and_quality_flag_from_deliverable(self):
        plan = self._plan()
        plan.deliverable_ids[0].write(
            {"user_id": self.agent.id, "quality_check_required": False}
        )
        plan.with_user(self.agent).action_submit()
        plan.with_user(self.manager).action_approve()
        plan.with_user(self.agent).action_send()
        plan.sudo()._portal_confirm("Wang Wei", signature_png(), self.contact)
        task = plan.deliverable_ids[0].task_ids
        self.assertEqual(task.user_ids, self.agent)
        self.assertFalse(task.quality_check_required)

    def test_paper_confirmation_creates_tasks(self):
        plan = self._approved()
        plan.with_user(self.agent)._record_paper_confirmation(
            base64.b64encode(b"%PDF-1.4 scan"),
            "scan.pdf",
            "Wang Wei",
            date(2026, 3, 1),
            self.contact,
        )
        self.assertEqual(len(self._tasks(plan)), 2)

    def test_new_revision_links_existing_tasks(self):
        plan = self._confirmed()
        tasks = self._tasks(plan)
        action = plan.with_user(self.agent).action_new_revision()
        revision = self.env["helpdesk.service.plan"].browse(action["res_id"])
        revision.with_user(self.agent).write(
            {
                "deliverable_ids": [
                    Command.create(
                        {"name": "Training", "acceptance_standard": "Staff trained."}
                    )
                ]
            }
        )
        revision.with_user(self.agent).action_submit()
        revision.with_user(self.manager).action_approve()
        revision.with_user(self.agent).action_send()
        revision.sudo()._portal_confirm("Wang Wei", signature_png(), self.contact)
        new_tasks = self._tasks(revision)
        self.assertEqual(len(new_tasks), 3)
        # the two tasks carried over, one created for the new deliverable
        self.assertEqual(new_tasks & tasks, tasks)
        self.assertFalse(self._tasks(plan))
        self.assertEqual(
            set(new_tasks.service_plan_deliverable_id.ids),
            set(revision.deliverable_ids.ids),
        )

    def test_team_mode_uses_team_project(self):
        project = self.env["project.project"].create({"name": "Support work"})
        self.team_support.default_project_id = project
        self.company.service_plan_project_mode = "team"
        plan = self._confirmed()
        self.assertEqual(self._tasks(plan).project_id, project)
        # a team without a project: the customer's project
        self.team_support.default_project_id = False
        other = self._confirmed(self.ticket_2, title="Second")
        self.assertEqual(
            self._tasks(other).project_id.service_customer_id, self.customer
        )

    def test_system_fields_refused(self):
        plan = self._confirmed()
        task = self._tasks(plan)[:1]
        other = self._confirmed(self.ticket_2, title="Other")
        with self._refused(AccessError, "set by the system"):
            task.with_user(self.agent).write({"service_plan_id": other.id})
        with self._refused(AccessError, "set by the system"):
            self.env["project.task"].with_user(self.agent).create(
                {
                    "name": "Fake",
                    "project_id": task.project_id.id,
                    "service_plan_id": plan.id,
                }
            )
        self.assertEqual(task.service_plan_id, plan)

    def test_tracking_late_search(self):
        plan = self._confirmed()
        tasks = self._tasks(plan)
        fuser = tasks.filtered("date_deadline")
        Task = self.env["project.task"]
        with self._at("2026-03-25 10:00:00"):
            self.assertTrue(fuser.service_late)
            self.assertEqual(
                Task.search([("service_late", "=", True), ("id", "in", tasks.ids)]),
                fuser,
            )
            self.assertEqual(
                Task.search([("service_late", "=", False), ("id", "in", tasks.ids)]),
                tasks - fuser,
            )
        with self._at("2026-03-10 10:00:00"):
            self.assertFalse(
                Task.search([("service_late", "=", True), ("id", "in", tasks.ids)])
            )
        action = plan.action_view_tasks()
        self.assertEqual(Task.search(action["domain"]), tasks)

    def test_agent_reads_and_flags_own_task(self):
        plan = self._confirmed()
        task = self._tasks(plan)[:1]
        task.with_user(self.agent).read(["name", "service_late", "quality_result"])

    def _confirmed_with(self, count):
        plan = self._plan(
            deliverable_ids=[
                Command.create(
                    {
                        "name": f"Deliverable {index}",
                        "acceptance_standard": "Done.",
                        "user_id": self.agent.id,
                        "date_planned": date(2026, 3, 20),
                    }
                )
                for index in range(count)
            ]
        )
        with system_write("state"):
            plan.sudo().write({"state": "confirmed"})
        # the customer's project exists: what is compared is the tasks
        plan._get_task_projects()
        self.env.flush_all()
        self.env.invalidate_all()
        return plan

    def _sync_queries(self, plan):
        """Queries of the plan's task creation: all of them, and those that
        are not mail's own (followers, assignment notices, tracking)."""
        queries = []
        execute = type(self.env.cr).execute

        def logged(cr, query, params=None, log_exceptions=True):
            queries.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", logged):
            plan.sudo()._sync_tasks()
            self.env.flush_all()
        own = [query for query in queries if "mail_" not in query]
        return len(queries), len(own)

    def test_task_creation_query_count(self):
        """5 or 50 tasks: the same queries beyond mail's (one batch)."""
        # caches of rights, rules and the assignment notice's template
        self._sync_queries(self._confirmed_with(5))
        small = self._confirmed_with(5)
        large = self._confirmed_with(50)
        small_total, small_own = self._sync_queries(small)
        _large_total, large_own = self._sync_queries(large)
        self.assertEqual((len(small.task_ids), len(large.task_ids)), (5, 50))
        # beyond mail, what a task costs is project's own per assigned task
        # (its working-time figures read the calendar: 3 queries), never
        # this addon's: its reads and writes are one batch
        self.assertLessEqual(large_own, small_own + 45 * 3)
        self.assertGreaterEqual(large_own, small_own + 45 * 2)
        # and the same exact count for the same size
        third = self._confirmed_with(5)
        with self.assertQueryCount(__system__=small_total):
            third.sudo()._sync_tasks()
            self.env.flush_all()
