# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalTicketClose(HttpCase):
    """helpdesk_mgmt's /ticket/close closes any ticket by id over GET; here it
    takes a POST with the CSRF token, for a ticket the user may read, to a
    closing stage of that ticket's own team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Close A", "is_company": True})
        cls.customer_b = Partner.create({"name": "Close B", "is_company": True})
        cls.portal_a = new_test_user(
            cls.env,
            login="hsa_close_a",
            password="hsa_close_a_pw",
            groups="base.group_portal",
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.close_stage = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "HSA Solved by customer",
                "closed": True,
                "close_from_portal": True,
            }
        )
        cls.done_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.done_stage.close_from_portal = False
        Ticket = cls.env["helpdesk.ticket"]
        cls.ticket_a = Ticket.create(
            {
                "name": "Mine",
                "description": "x",
                "partner_id": cls.portal_a.partner_id.id,
            }
        )
        cls.ticket_b = Ticket.create(
            {"name": "Theirs", "description": "x", "partner_id": cls.customer_b.id}
        )
        company_2 = cls.env["res.company"].create({"name": "HSA Close Co 2"})
        cls.ticket_other_company = Ticket.create(
            {
                "name": "Elsewhere",
                "description": "x",
                "partner_id": cls.customer_b.id,
                "company_id": company_2.id,
            }
        )

    def _post(self, ticket, stage, csrf=True):
        data = {"ticket_id": ticket.id, "stage_id": stage.id}
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/ticket/close", data=data, allow_redirects=False)

    def test_get_is_refused(self):
        self.authenticate("hsa_close_a", "hsa_close_a_pw")
        response = self.url_open(
            f"/ticket/close?ticket_id={self.ticket_a.id}&stage_id={self.close_stage.id}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 405)
        self.assertFalse(self.ticket_a.closed)

    def test_post_without_csrf_is_refused(self):
        self.authenticate("hsa_close_a", "hsa_close_a_pw")
        response = self._post(self.ticket_a, self.close_stage, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.ticket_a.closed)

    def test_other_customers_tickets_stay_open(self):
        self.authenticate("hsa_close_a", "hsa_close_a_pw")
        for ticket in (self.ticket_b, self.ticket_other_company):
            response = self._post(ticket, self.close_stage)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
            ticket.invalidate_recordset()
            self.assertFalse(ticket.closed, ticket.name)

    def test_only_portal_closing_stages(self):
        self.authenticate("hsa_close_a", "hsa_close_a_pw")
        self._post(self.ticket_a, self.done_stage)
        self.ticket_a.invalidate_recordset()
        self.assertFalse(self.ticket_a.closed)

    def test_logged_out_is_refused(self):
        response = self._post(self.ticket_a, self.close_stage, csrf=False)
        self.assertIn(response.status_code, (303, 400))
        self.assertFalse(self.ticket_a.closed)

    def test_customer_closes_own_ticket(self):
        self.authenticate("hsa_close_a", "hsa_close_a_pw")
        # the portal's close buttons post their form with the CSRF token
        arch = self.env.ref(
            "helpdesk_mgmt.portal_helpdesk_ticket_page"
        ).get_combined_arch()
        self.assertIn('method="POST"', arch)
        self.assertIn("request.csrf_token()", arch)
        response = self._post(self.ticket_a, self.close_stage)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{self.ticket_a.id}")
        )
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.stage_id, self.close_stage)
