/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
/**
 * An agent's day in Chinese: take in a request, answer the customer,
 * transfer it to another team, escalate it. Every step waits for the Chinese
 * label of the screen it uses, so an English leftover fails the tour.
 */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hsa_agent_day_zh", {
    steps: () => [
        {
            content: "The new ticket form, in Chinese",
            trigger: ".o_form_view .o_form_sheet .o_field_widget[name='request_type']",
        },
        {
            content: "Subject",
            trigger: ".o_field_widget[name='name'] input, .o_field_widget[name='name'] textarea",
            run: "edit 打印机卡纸",
        },
        {
            content: "Customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit 华信",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(华信联系人)",
            run: "click",
        },
        {
            content: "Description",
            trigger: ".o_field_widget[name='description'] .odoo-editor-editable",
            run: "editor 三楼的打印机一直卡纸。",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the ticket has its number",
            timeout: 30000,
            trigger: ".o_form_saved",
        },
        {
            content: "Answer the customer",
            trigger: "button.o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            trigger: ".o-mail-Composer-input",
            run: "edit 您好，工程师今天下午上门处理。",
        },
        {
            // the composer may still be settling its state when the button
            // turns enabled on a loaded machine: click until the composer
            // empties (the message is posted)
            trigger: ".o-mail-Composer-send:enabled",
            async run() {
                for (let attempt = 0; attempt < 20; attempt++) {
                    const send = document.querySelector(".o-mail-Composer-send:enabled");
                    if (!send) {
                        return;
                    }
                    send.click();
                    await new Promise((resolve) => setTimeout(resolve, 1000));
                }
            },
        },
        {
            content: "The answer is in the chatter",
            timeout: 30000,
            trigger: ".o-mail-Message:contains(工程师今天下午上门处理)",
        },
        {
            content: "Transfer (转接)",
            trigger: "button[name='action_open_transfer_wizard']:contains(转接)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='team_id'] input",
            run: "edit 销售",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(销售服务组)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='summary'] textarea",
            run: "edit 客户同时询问新打印机报价，转销售服务组跟进。",
        },
        {
            trigger: ".modal button[name='action_transfer']",
            run: "click",
        },
        {
            content: "The dialog closed",
            timeout: 30000,
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Escalate (升级)",
            trigger: "button[name='action_open_escalation_wizard']:contains(升级)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit 客户整层无法打印，影响业务。",
        },
        {
            trigger: ".modal button[name='action_escalate']",
            run: "click",
        },
        {
            content: "The escalation is recorded (升级记录)",
            timeout: 30000,
            trigger:
                "body:not(:has(.modal)) button[name='action_view_escalations']:contains(升级记录)",
        },
    ],
});
