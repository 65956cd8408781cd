# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


class AgreementPortalCommon(HttpCase):
    """Two customer companies with signed agreements, a draft, a template, a
    portal contact of the first and an agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create(
            {"name": "Portal Customer A", "is_company": True}
        )
        cls.customer_b = Partner.create(
            {"name": "Portal Customer B", "is_company": True}
        )
        cls.contact_a = Partner.create(
            {"name": "A Colleague", "parent_id": cls.customer_a.id}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_portal_agr",
            password="hsa_portal_agr_pw",
            groups="base.group_portal",
            name="A Portal Person",
            email="a.portal@example.com",
        )
        cls.portal_user.partner_id.parent_id = cls.customer_a
        cls.agent = new_test_user(
            cls.env,
            login="hsa_portal_agent",
            password="hsa_portal_agent_pw",
            groups="helpdesk_service_agreement.group_service_agent",
        )
        # signed by a colleague: the whole company sees it
        cls.agreement_a = cls._create_agreement(
            cls.contact_a, code="PA-001", name="Alpha maintenance"
        )
        cls.agreement_b = cls._create_agreement(
            cls.customer_b, code="PB-001", name="Bravo maintenance"
        )
        cls.draft_a = cls._create_agreement(
            cls.customer_a, code="PA-DRAFT", name="Alpha draft", activate=False
        )
        cls.template = cls._create_agreement(
            cls.customer_a,
            code="PA-TEMPLATE",
            name="Alpha template",
            activate=False,
            is_template=True,
        )

    @classmethod
    def _create_agreement(cls, partner, activate=True, **vals):
        values = {
            "partner_id": partner.id,
            "signature_date": "2025-12-15",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            # closing tickets is tested without the acceptance gate
            "acceptance_required": False,
            "scope": f"<p>Scope of {vals['name']}</p>",
            "fee_amount": 9900.0,
            "service_level_ids": [
                Command.create(
                    {"level": "1", "resolution_hours": 24.0, "owner_type": "agent"}
                ),
                Command.create(
                    {
                        "level": "3",
                        "response_hours": 2.0,
                        "update_hours": 4.0,
                        "owner_type": "emergency_team",
                        "owner_user_ids": [Command.set(cls.agent.ids)],
                    }
                ),
            ],
        }
        values.update(vals)
        agreement = cls.env["agreement"].create(values)
        if activate:
            agreement.action_activate()
        return agreement

    def _login(self):
        self.authenticate("hsa_portal_agr", "hsa_portal_agr_pw")

    def _assert_refused(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303, url)
        self.assertTrue(response.headers["Location"].endswith("/my"), url)


@tagged("post_install", "-at_install")
class TestAgreementPortal(AgreementPortalCommon):
    """Customers see their company's signed agreements on the portal, and
    nothing else: not another customer's, not a draft, not a template."""

    def test_access_url(self):
        self.assertEqual(
            self.agreement_a.access_url, f"/my/agreements/{self.agreement_a.id}"
        )

    def test_record_rule(self):
        Agreement = self.env["agreement"].with_user(self.portal_user)
        self.assertEqual(Agreement.search([]), self.agreement_a)
        with self.assertRaises(AccessError):
            self.agreement_b.with_user(self.portal_user).check_access("read")
        with self.assertRaises(AccessError):
            self.agreement_a.with_user(self.portal_user).write({"name": "Mine now"})
        # the confidential and commercial terms stay out of the portal user's
        # own reach; the customer gets them in the contract only
        with self.assertRaises(AccessError):
            self.agreement_a.with_user(self.portal_user).read(["fee_amount"])

    def test_home_counter(self):
        self._login()
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["agreement_count"]}
        )
        self.assertEqual(result["agreement_count"], 1)

    def test_list_shows_the_company_signed_agreements_only(self):
        self._login()
        response = self.url_open("/my/agreements")
        self.assertEqual(response.status_code, 200)
        self.assertIn("PA-001", response.text)
        self.assertIn("Alpha maintenance", response.text)
        for hidden in ("PB-001", "PA-DRAFT", "PA-TEMPLATE"):
            self.assertNotIn(hidden, response.text)
        # reading the list writes nothing, not even an access token
        self.assertFalse(self.agreement_a.access_token)
        response = self.url_open("/my/agreements?sortby=end_date&filterby=expired")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("PA-001", response.text)

    def test_detail_and_pdf_of_the_own_agreement(self):
        self._login()
        response = self.url_open(f"/my/agreements/{self.agreement_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Alpha maintenance", response.text)
        self.assertIn("Scope of Alpha maintenance", response.text)
        self.assertIn("Portal Customer A", response.text)
        self.assertIn("report_type=pdf&amp;download=true", response.text)
        self.assertFalse(self.agreement_a.access_token)
        response = self.url_open(
            f"/my/agreements/{self.agreement_a.id}?report_type=pdf&download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("PA_001", response.headers["Content-Disposition"])
        # in test mode the report engine answers the HTML of the contract
        self.assertIn("Alpha maintenance", response.text)

    def test_other_customer_agreement_refused(self):
        self._login()
        url = f"/my/agreements/{self.agreement_b.id}"
        self._assert_refused(url)
        self._assert_refused(f"{url}?report_type=pdf&download=true")
        self._assert_refused("/my/agreements/999999999")

    def test_wrong_token_refused(self):
        self.agreement_b._portal_ensure_token()
        url = f"/my/agreements/{self.agreement_b.id}?access_token=not-the-token"
        self._assert_refused(url)
        self._login()
        self._assert_refused(url)
        # the token of one agreement opens no other
        token_a = self.agreement_a._portal_ensure_token()
        self._assert_refused(
            f"/my/agreements/{self.agreement_b.id}?access_token={token_a}"
        )

    def test_token_opens_the_agreement_without_login(self):
        url = self.agreement_b.get_portal_url()
        self.assertIn("access_token=", url)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Bravo maintenance", response.text)
        # the download link keeps the token
        self.assertIn(f"access_token={self.agreement_b.access_token}", response.text)
        response = self.url_open(
            self.agreement_b.get_portal_url(report_type="pdf", download=True)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")

    def test_draft_and_template_never_shown(self):
        self._login()
        for agreement in self.draft_a | self.template:
            # neither through the company's access nor with a link
            self._assert_refused(f"/my/agreements/{agreement.id}")
            self._assert_refused(agreement.get_portal_url())
            self._assert_refused(agreement.get_portal_url(report_type="pdf"))
        self.logout()
        for agreement in self.draft_a | self.template:
            self._assert_refused(agreement.get_portal_url())

    def test_staff_are_sent_to_the_backend(self):
        self.authenticate("hsa_portal_agent", "hsa_portal_agent_pw")
        response = self.url_open(
            f"/my/agreements/{self.agreement_a.id}?report_type=pdf",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/odoo/agreement/{self.agreement_a.id}"
            )
        )
