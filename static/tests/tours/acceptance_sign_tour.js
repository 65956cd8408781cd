/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
/**
 * The customer opens the acceptance form from the link of the e-mail, reads
 * the deliverables and signs with Odoo's signature pad: the form is accepted.
 */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hsa_acceptance_sign", {
    steps: () => [
        {
            content: "The deliverables and their standards",
            trigger: "#acceptance_lines:contains(Printer down):contains(Prints 20 pages a minute.)",
        },
        {
            content: "Accept & Sign",
            trigger: "#acceptance_sign_button",
            run: "click",
        },
        {
            content: "The signer's name is filled in",
            trigger: ".modal .o_web_sign_name_and_signature input:value(HSA Contact)",
        },
        {
            content: "The signature is drawn from it",
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Signed: every deliverable passed",
            trigger: "#acceptance_content .alert-success",
        },
        {
            content: "The signature on the page",
            trigger: "#acceptance_signature img",
        },
    ],
});
