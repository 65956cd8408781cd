# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalIntake(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.ticket.routing"].search([]).action_archive()
        cls.env.flush_all()
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Portal complaints"})
        cls.env["helpdesk.ticket.routing"].create(
            {"request_type": "complaint", "team_id": cls.team.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Portal Co", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_portal",
            password="hsa_portal_pw",
            groups="base.group_portal",
            name="Portal Person",
            email="portal.person@example.com",
        )
        cls.portal_user.partner_id.parent_id = cls.customer

    def test_new_ticket_form_offers_request_types(self):
        self.authenticate("hsa_portal", "hsa_portal_pw")
        response = self.url_open("/new/ticket")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="request_type"', response.text)
        self.assertIn('value="complaint"', response.text)
        self.assertIn('value="after_sale" selected', response.text)

    def test_submitted_complaint_is_typed_routed_and_numbered(self):
        self.authenticate("hsa_portal", "hsa_portal_pw")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "Rude answer on the phone",
                "description": "The agent hung up.",
                "request_type": "complaint",
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Rude answer on the phone")]
        )
        self.assertEqual(ticket.request_type, "complaint")
        self.assertEqual(ticket.team_id, self.team)
        self.assertTrue(self.customer.customer_code)

    def test_submitted_unknown_type_creates_nothing(self):
        self.authenticate("hsa_portal", "hsa_portal_pw")
        with self.assertLogs("odoo.http", level="WARNING"):
            self.url_open(
                "/submitted/ticket",
                data={
                    "csrf_token": http.Request.csrf_token(self),
                    "subject": "Bogus type",
                    "description": "x",
                    "request_type": "bogus",
                },
            )
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "Bogus type")])
        )

    def test_urgency_grades_and_the_page_shows_number_and_level(self):
        self.authenticate("hsa_portal", "hsa_portal_pw")
        form = self.url_open("/new/ticket").text
        self.assertIn('name="priority"', form)
        self.assertIn('value="3"', form)
        self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "All tills down",
                "description": "Nothing works.",
                "priority": "3",
            },
        )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "All tills down")])
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.problem_level, "2", "very high is urgent")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn(ticket.number, page)
        self.assertNotIn(f"(#{ticket.id})", page)
        self.assertIn("Level 2 - Urgent", page)

    def test_unknown_urgency_ignored(self):
        self.authenticate("hsa_portal", "hsa_portal_pw")
        self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "Odd urgency",
                "description": "x",
                "priority": "99",
            },
        )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Odd urgency")])
        self.assertEqual(ticket.priority, "1")
