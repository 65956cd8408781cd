# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_agreement_portal import AgreementPortalCommon

FEE = "9,900.00"
PAYMENT = "Paid quarterly by bank transfer."
CONFIDENTIAL = "Nothing of the customer leaves the provider."


@tagged("post_install", "-at_install")
class TestConfidentialTermsThroughALink(AgreementPortalCommon):
    """A share or notification link opens the contract without its fees,
    payment terms, confidentiality, breach liability and third parties'
    limits; the customer's logged-in contacts see their own signed terms;
    staff cannot read the token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for agreement in cls.agreement_a | cls.agreement_b:
            agreement.write(
                {
                    "payment_terms": PAYMENT,
                    "confidentiality": f"<p>{CONFIDENTIAL}</p>",
                }
            )
        cls.other_portal = new_test_user(
            cls.env,
            login="hsa_portal_other",
            password="hsa_portal_other_pw",
            groups="base.group_portal",
        )
        cls.other_portal.partner_id.parent_id = cls.env["res.partner"].create(
            {"name": "Portal Customer C", "is_company": True}
        )
        cls.manager = new_test_user(
            cls.env,
            login="hsa_link_manager",
            groups="helpdesk_service_agreement.group_service_manager",
        )

    def _texts(self, agreement, token=True):
        url = agreement.get_portal_url() if token else agreement.access_url
        page = self.url_open(url).text
        sep = "&" if "?" in url else "?"
        report = self.url_open(f"{url}{sep}report_type=html").text
        return page, report

    def test_link_shows_no_restricted_term(self):
        # anyone holding the link, logged out
        page, report = self._texts(self.agreement_a)
        self.assertIn("Alpha maintenance", page)
        self.assertIn("Alpha maintenance", report)
        for text in (page, report):
            self.assertNotIn(FEE, text)
            self.assertNotIn(PAYMENT, text)
            self.assertNotIn(CONFIDENTIAL, text)

    def test_link_held_by_another_customer_shows_no_restricted_term(self):
        self.authenticate("hsa_portal_other", "hsa_portal_other_pw")
        page, report = self._texts(self.agreement_a)
        self.assertIn("Alpha maintenance", report)
        for text in (page, report):
            self.assertNotIn(FEE, text)
            self.assertNotIn(PAYMENT, text)
            self.assertNotIn(CONFIDENTIAL, text)

    def test_customer_contact_sees_the_signed_terms(self):
        self._login()
        page, report = self._texts(self.agreement_a, token=False)
        self.assertIn(FEE, page)
        self.assertIn(FEE, report)
        self.assertIn(PAYMENT, report)
        self.assertIn(CONFIDENTIAL, report)

    def test_staff_cannot_read_the_token(self):
        self.agreement_a._portal_ensure_token()
        # the agent (the attacker) and even the manager: a link is minted for
        # the customer by Odoo's notifications, never read by staff
        for user in (self.agent, self.manager):
            agreement = self.agreement_a.with_user(user)
            with self.assertRaises(AccessError):
                agreement.read(["access_token"])
            with self.assertRaises(AccessError):
                agreement.search_read([("id", "=", agreement.id)], ["access_token"])
            with self.assertRaises(AccessError):
                agreement.search([("access_token", "!=", False)])
