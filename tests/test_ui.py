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

# a new agreement's breadcrumb reads "New"; an agreement's service level grid
# reads its targets ("No target", "24 h", not 00:00) and a row opens the
# level's form in a dialog
AGREEMENT_FORMS = """
const deadline = Date.now() + 20000;
const wait = (selector) => new Promise((resolve, reject) => {
    (function poll() {
        const element = document.querySelector(selector);
        if (element) {
            resolve(element);
        } else if (Date.now() > deadline) {
            reject(new Error(`${selector} did not render`));
        } else {
            setTimeout(poll, 100);
        }
    })();
});
(async () => {
    await wait(".o_form_view .o_form_sheet");
    const crumbs = document.querySelector(".o_breadcrumb").textContent;
    if (!crumbs.includes("New") || crumbs.includes("False")) {
        throw new Error(`breadcrumb of a new agreement: ${crumbs}`);
    }
    await odoo.__WOWL_DEBUG__.root.env.services.action.doAction(
        {type: "ir.actions.act_window", res_model: "agreement", res_id: %(id)s,
         views: [[false, "form"]]}, {clearBreadcrumbs: true});
    (await wait(".o_notebook a[name='service_levels']")).click();
    const grid = await wait(".o_field_widget[name='service_level_ids'] .o_data_row");
    const text = grid.closest("table").textContent;
    const expected = ["No target", "24 h"].every((value) => text.includes(value));
    if (!expected || text.includes("00:00")) {
        throw new Error(`service level grid: ${text}`);
    }
    grid.querySelector(".o_data_cell").click();
    await wait(".modal .o_form_view [name='response_hours']");
    console.log("test successful");
})().catch((error) => console.error(error.message));
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

    def test_new_agreement_and_service_level_grid(self):
        self.authenticate(self.manager.login, f"{self.manager.login}-pw")
        self.browser_js(
            "/odoo/action-helpdesk_service_agreement.agreement_service_action/new",
            AGREEMENT_FORMS % {"id": self.agreement.id},
            ready="odoo.isReady",
            login=self.manager.login,
        )
