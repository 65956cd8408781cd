# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .plan_common import PlanCommon

CHECK = "helpdesk.service.plan.quality.check"
GATE_WIZARD = "project.task.quality.gate.wizard"


@tagged("post_install", "-at_install")
class TestSecurityPlanTasks(PlanCommon):
    """A plan's tasks are the customer's confidential work: read by the team
    that serves the customer, owners, leads and managers; the quality gate is
    not lifted by the person it gates (issue 17, items 2, 4 and 7)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._confirmed()
        cls.task = cls.plan.task_ids.filtered(lambda t: t.name == "Fuser replaced")
        cls.employee = new_test_user(
            cls.env,
            login="hsa_tasks_employee",
            groups="base.group_user,project.group_project_user",
        )
        cls.check = (
            cls.env[CHECK]
            .with_user(cls.lead)
            .create(
                {
                    "task_id": cls.task.id,
                    "criteria": "20 pages a minute",
                    "result": "fail",
                    "remarks": "Internal: roller worn",
                    "corrective_action": "Replace the roller",
                }
            )
        )
        cls.task.sudo().write(
            {"delay_expected": True, "delay_reason": "Parts stuck in customs"}
        )

    # ------------------------------------------------------------------
    # The gate
    # ------------------------------------------------------------------

    def test_agent_cannot_lift_the_gate(self):
        self.assertTrue(self.task.quality_check_required)
        for user in (self.agent, self.agent_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.task.with_user(user).write({"quality_check_required": False})
        self.assertTrue(self.task.quality_check_required)
        with self._refused(UserError, "passed quality check"):
            self.task.with_user(self.agent).write({"state": "1_done"})
        # nor through the wizard, which only leads may open
        with self.assertRaises(AccessError):
            self.env[GATE_WIZARD].with_user(self.agent).create(
                {
                    "task_id": self.task.id,
                    "quality_check_required": False,
                    "reason": "I say so",
                }
            )

    def test_lead_changes_the_gate_with_a_reason(self):
        wizard = (
            self.env[GATE_WIZARD]
            .with_user(self.lead)
            .with_context(default_task_id=self.task.id)
        )
        form = Form(wizard)
        self.assertTrue(form.quality_check_required)
        form.quality_check_required = False
        form.reason = "   "
        with self._refused(UserError, "Say why"):
            form.save().action_apply()
        # the refusal rolled the wizard back: the lead starts again
        form = Form(wizard)
        form.quality_check_required = False
        form.reason = "Customer waived the check in writing"
        form.save().action_apply()
        self.assertFalse(self.task.quality_check_required)
        note = self.task.message_ids.filtered(
            lambda m: "Customer waived the check" in (m.body or "")
        )
        self.assertTrue(note)
        self.assertIn(self.lead.name, note.body)
        # tracking is written when the transaction commits
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.task.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "quality_check_required"
        )
        self.assertTrue(tracked)
        # the owner may now close it
        self.task.with_user(self.agent).write({"state": "1_done"})
        self.assertEqual(self.task.state, "1_done")

    # ------------------------------------------------------------------
    # Who reads the customer's work
    # ------------------------------------------------------------------

    def test_outsiders_do_not_read_the_tasks(self):
        Task = self.env["project.task"]
        for user in (self.employee, self.agent_2):
            with self.subTest(user=user.login):
                self.assertFalse(
                    Task.with_user(user).search([("id", "in", self.plan.task_ids.ids)])
                )
                with self.assertRaises(AccessError):
                    self.task.with_user(user).read(["delay_reason", "name"])
        # the team, leads and managers do
        for user in (self.agent, self.lead, self.manager):
            with self.subTest(user=user.login):
                self.assertEqual(
                    Task.with_user(user).search([("id", "in", self.plan.task_ids.ids)]),
                    self.plan.task_ids,
                )
                self.assertEqual(
                    self.task.with_user(user).delay_reason, "Parts stuck in customs"
                )
        # tasks without a plan keep Odoo's own rules
        project = self.task.project_id
        own = Task.create({"name": "Order toner", "project_id": project.id})
        self.assertEqual(
            Task.with_user(self.employee).search([("id", "=", own.id)]), own
        )

    def test_checks_read_by_the_team_and_leads(self):
        Check = self.env[CHECK]
        self.assertFalse(
            Check.with_user(self.agent_2).search([("id", "=", self.check.id)])
        )
        with self.assertRaises(AccessError):
            self.check.with_user(self.agent_2).read(["remarks"])
        self.assertEqual(
            self.check.with_user(self.agent).remarks, "Internal: roller worn"
        )
        self.assertEqual(self.check.with_user(self.archivist).result, "fail")

    def test_owner_outside_the_team_reads_their_task(self):
        """A deliverable's owner is a service agent, perhaps of another team:
        they read and work their own task."""
        plan = self._plan(self.ticket_2, title="Scanner plan")
        plan.deliverable_ids[0].user_id = self.agent_2
        with self.assertRaises(ValidationError):
            plan.deliverable_ids[1].user_id = self.employee

    def test_task_form_opens_for_project_users_without_a_role(self):
        """Odoo's Project beside the addon: a project user without a service
        role opens a task form; the service page is not in their view."""
        arch = (
            self.env["project.task"]
            .with_user(self.employee)
            .get_view(self.env.ref("project.view_task_form2").id)["arch"]
        )
        self.assertNotIn("quality_check_ids", arch)
        self.assertNotIn("delay_reason", arch)
        lead_arch = (
            self.env["project.task"]
            .with_user(self.lead)
            .get_view(self.env.ref("project.view_task_form2").id)["arch"]
        )
        self.assertIn("quality_check_ids", lead_arch)

    def test_task_write_without_a_flag_costs_no_template_lookup(self):
        self.env.registry.clear_cache()
        with self.assertQueryCount(0):
            self.env["project.task"]._send_delay_warning()
