# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import ServiceCommon

# wait until the web client has rendered the record's form, then succeed;
# any error the client raises on the way (a broken view, a missing field)
# fails the test
FORM_READY = """
const deadline = Date.now() + 20000;
(function waitForm() {
    if (document.querySelector(".o_form_view .o_form_sheet")) {
        console.log("test successful");
    } else if (Date.now() > deadline) {
        console.error("the form did not render");
    } else {
        setTimeout(waitForm, 100);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestUi(ServiceCommon, HttpCase):
    """The addon's forms open in a real browser for the roles that use them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.manager, cls.agent):
            user.password = f"{user.login}-pw"
        cls.agreement = cls._create_agreement()
        cls.ticket = cls._create_ticket()

    def _open(self, path, user):
        self.browser_js(path, FORM_READY, ready="odoo.isReady", login=user.login)

    def test_ticket_form_for_agent_and_manager(self):
        path = f"/odoo/helpdesk.ticket/{self.ticket.id}"
        self.authenticate(self.agent.login, f"{self.agent.login}-pw")
        self._open(path, self.agent)
        self.authenticate(self.manager.login, f"{self.manager.login}-pw")
        self._open(path, self.manager)

    def test_agreement_form_for_agent_and_manager(self):
        path = (
            "/odoo/action-helpdesk_service_agreement.agreement_service_action/"
            f"{self.agreement.id}"
        )
        self.authenticate(self.agent.login, f"{self.agent.login}-pw")
        self._open(path, self.agent)
        self.authenticate(self.manager.login, f"{self.manager.login}-pw")
        self._open(path, self.manager)

    def test_partner_form_for_agent(self):
        self.authenticate(self.agent.login, f"{self.agent.login}-pw")
        self._open(f"/odoo/res.partner/{self.customer.id}", self.agent)
