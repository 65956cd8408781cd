# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .plan_common import PlanCommon


@tagged("post_install", "-at_install")
class TestPlanSections(PlanCommon):
    """A plan goes to review only with every section its PDF prints under a
    heading filled in: goals, content, the provider's (乙方职责) and the
    customer's duties (甲方职责)."""

    def test_submit_lists_every_empty_printed_section(self):
        plan = self._plan(
            provider_duties="<p><br></p>", customer_duties=False, goals="<p> </p>"
        )
        with self.assertRaises(UserError) as catcher:
            plan.with_user(self.agent).action_submit()
        message = str(catcher.exception)
        for section in (
            "Goals",
            "Provider's Duties (Party B)",
            "Customer's Duties (Party A)",
        ):
            self.assertIn(section, message)
        self.assertNotIn("Service Content", message, "the content is filled in")
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.agent).write(
            {
                "goals": "<p>Every floor prints again.</p>",
                "provider_duties": "<p>Supply and fit the parts.</p>",
            }
        )
        with self.assertRaisesRegex(UserError, "Customer's Duties"):
            plan.with_user(self.agent).action_submit()
        plan.with_user(self.agent).customer_duties = "<p>Open the rooms.</p>"
        plan.with_user(self.agent).action_submit()
        self.assertEqual(plan.state, "review")

    def test_sections_match_the_printed_headings(self):
        """Each required section is one the plan's PDF prints."""
        plan = self._plan()
        html = (
            plan.env["ir.actions.report"]
            ._render_qweb_html(
                "helpdesk_service_agreement.action_report_helpdesk_service_plan",
                plan.ids,
            )[0]
            .decode()
        )
        for name in plan._submit_required_sections():
            self.assertIn(plan[name].striptags().strip()[:10], html)
