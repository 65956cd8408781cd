# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .plan_common import PlanCommon

WAITING = [
    "acceptance_to_sign_count",
    "service_plan_to_confirm_count",
    "complaint_feedback_count",
]


@tagged("post_install", "-at_install")
class TestPortalHome(PlanCommon, HttpCase):
    """The portal home (/my) shows what awaits the customer's answer (an
    acceptance form to sign, a plan to confirm, a complaint result to give
    feedback on) and the count on each service card; another customer's
    home shows none of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_home_portal",
            password="hsa_home_portal_pw",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        other = cls.env["res.partner"].create(
            {"name": "HSA Home Other Co", "is_company": True}
        )
        cls.portal_other = new_test_user(
            cls.env,
            login="hsa_home_other",
            password="hsa_home_other_pw",
            groups="base.group_portal",
        )
        cls.portal_other.partner_id.parent_id = other
        cls.plan = cls._sent_plan(cls.ticket)
        cls.acceptance = cls._sent(cls.ticket_2)
        cls.complaint = cls._create_ticket(
            name="Nobody called back",
            request_type="complaint",
            partner_id=cls.portal_user.partner_id.id,
        )
        cls.complaint.with_user(cls.manager).complaint_result = "We call you daily."

    def _counters(self, login):
        self.authenticate(login, f"{login}_pw")
        return self.make_jsonrpc_request("/my/counters", {"counters": WAITING})

    def test_waiting_counters(self):
        self.assertEqual(
            self._counters("hsa_home_portal"),
            dict.fromkeys(WAITING, 1),
        )
        self.assertEqual(self._counters("hsa_home_other"), dict.fromkeys(WAITING, 0))
        # answered: nothing waits any more
        self.complaint.with_user(self.portal_user).sudo()._complaint_record_feedback(
            "satisfied"
        )
        counters = self._counters("hsa_home_portal")
        self.assertEqual(counters["complaint_feedback_count"], 0)
        self.assertEqual(counters["service_plan_to_confirm_count"], 1)

    def test_home_page_cards(self):
        self.authenticate("hsa_home_portal", "hsa_home_portal_pw")
        page = self.url_open("/my").text
        for title in (
            "Acceptance forms waiting for your signature",
            "Service plans waiting for your confirmation",
            "Complaint results waiting for your feedback",
        ):
            self.assertIn(title, page)
        # the service cards print their count
        for counter, count in (("service_plan_count", 1), ("acceptance_count", 1)):
            self.assertRegex(
                page,
                rf">\s*{count}\s*<span[^>]*data-placeholder_count=\"{counter}\"",
            )
