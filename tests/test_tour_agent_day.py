# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import MODULE, ServiceCommon


@tagged("post_install", "-at_install")
class TestAgentDayTour(ServiceCommon, HttpCase):
    """An agent's day in Chromium, in Chinese: take in a request, answer the
    customer, transfer it, escalate it (static/tests/tours/agent_day_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_mgmt", MODULE], ["zh_CN"], overwrite=True
        )
        cls.agent.write({"lang": "zh_CN", "password": "hsa_agent-pw"})
        cls.team_sales.name = "销售服务组"
        cls.contact.name = "华信联系人"

    def test_agent_day_in_chinese(self):
        self.start_tour(
            "/odoo/helpdesk.ticket/new", "hsa_agent_day_zh", login=self.agent.login
        )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "打印机卡纸")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.create_uid, self.agent)
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertTrue(ticket.first_response_date, "the answer is the response")
        self.assertEqual(ticket.team_id, self.team_sales)
        self.assertEqual(ticket.transfer_ids.from_team_id, self.team_support)
        self.assertEqual(ticket.problem_level, "2")
        self.assertEqual(ticket.escalation_ids.reason, "manual")
        self.assertEqual(ticket.user_id, self.lead, "the team lead owns level 2")
