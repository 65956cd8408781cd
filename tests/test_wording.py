# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One language per reader. A Chinese service team and its customer read
the main screens and every portal page without English, whichever module a
term comes from; an English reader finds no Chinese in what the system
writes (summary titles, chatter, filed document names).

Only what a reader sees is checked: the labels of the views' arch as
``get_views`` returns them (translated), the field labels they show, the
text of the portal pages (no tags, attributes, scripts nor styles)."""

import re
from datetime import date

from lxml import etree, html

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MODULE
from .plan_common import PlanCommon
from .satisfaction_common import SatisfactionCommon

# English that was shown to the Chinese team or customer
ENGLISH = (
    "Project",
    "Milestone",
    "Task",
    "Tickets",
    "Passed",
    "Failed",
    "Draft",
    "Stage",
    "Missing required fields",
    "Agreement created",
    "Standard 40 hours",
    "Acceptance Form",
    "Deliverable",
    "Is Template",
    "Files",
    "Result",
)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# attributes whose text the reader sees
LABEL_ATTRIBUTES = ("string", "placeholder", "title", "sum")


def english_in(text):
    return [
        term
        for term in ENGLISH
        if re.search(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", text)
    ]


def visible_page_text(page):
    """The text a reader sees in a page's body."""
    body = html.fromstring(page).find("body")
    for node in body.xpath("//script|//style|//template"):
        node.drop_tree()
    return " ".join(" ".join(body.itertext()).split())


def _shown(node):
    invisible = (node.get("invisible") or node.get("column_invisible") or "").strip()
    return invisible not in ("1", "True", "true")


def visible_arch_text(result, model):
    """The labels of a ``get_views`` result: the arch's texts and label
    attributes, and the label of every visible field without its own."""
    models = result["models"]
    texts = []
    for view in result["views"].values():
        arch = etree.fromstring(view["arch"])

        def walk(node, model_name):
            if not isinstance(node.tag, str) or not _shown(node):
                return
            if node.tag == "field":
                info = (
                    models.get(model_name, {})
                    .get("fields", {})
                    .get(node.get("name"), {})
                )
                if not node.get("string") and not node.get("nolabel"):
                    texts.append(info.get("string") or "")
                sub_model = info.get("relation") or model_name
            else:
                sub_model = model_name
            texts.extend(node.get(attr) or "" for attr in LABEL_ATTRIBUTES)
            texts.append(node.text or "")
            for child in node:
                walk(child, sub_model)
                texts.append(child.tail or "")

        walk(arch, model)
    return " ".join(" ".join(texts).split())


@tagged("post_install", "-at_install")
class TestWording(PlanCommon, SatisfactionCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # as activating the language does: every installed module's terms,
        # this addon's last
        modules = cls.env["ir.module.module"].search([("state", "=", "installed")])
        names = [name for name in modules.mapped("name") if name != MODULE]
        cls.env["ir.module.module"]._load_module_terms(
            [*names, MODULE], ["zh_CN"], overwrite=True
        )
        for user in (cls.agent, cls.lead, cls.manager, cls.archivist):
            user.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        # the customer's own words are Chinese: what is left in English
        # comes from the software
        cls.customer.write({"name": "华东制造有限公司", "lang": "zh_CN"})
        cls.contact.write({"name": "李华", "lang": "zh_CN"})
        cls.ticket.name = "打印机无法开机"
        cls.ticket_2.name = "扫描仪卡纸"
        cls.agreement.name = "年度IT服务协议"
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_wording_portal",
            password="hsa_wording_portal_pw",
            groups="base.group_portal",
            name="王小明",
            email="wang.wording@example.com",
            lang="zh_CN",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.plan = cls._confirmed(
            cls.ticket,
            title="办公室打印机更换",
            goals="<p>每层楼恢复打印。</p>",
            content="<p>更换定影器，逐台测试。</p>",
            provider_duties="<p>提供并安装配件。</p>",
            customer_duties="<p>开放打印机房。</p>",
            milestone_ids=[
                Command.create(
                    {"sequence": 1, "name": "配件到货", "date": date(2026, 3, 5)}
                )
            ],
            deliverable_ids=[
                Command.create(
                    {
                        "sequence": 1,
                        "name": "定影器更换",
                        "acceptance_standard": "每分钟打印20页。",
                        "date_planned": date(2026, 3, 20),
                    }
                )
            ],
        )
        cls.acceptance = cls._sent(cls.ticket_2, standard="扫描无卡纸。")
        # a dissatisfied answer opens a complaint
        _acceptance, satisfaction = cls._accepted(
            cls._create_ticket(name="网络中断"), user=cls.agent
        )
        cls._answer(satisfaction, 1, 1, 1, 1)
        cls.complaint = satisfaction.complaint_ticket_id
        Request = cls.env["helpdesk.service.archive.request"].sudo()
        for _round in range(2):
            Request.search([("state", "=", "pending")])._file()

    def _commit_tracking(self):
        """Write the tracked values as the transaction's commit does."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _zh(self, user):
        return self.env(user=user, context={"lang": "zh_CN"})

    def _english(self, texts):
        """{where: English terms} of ``texts`` ({where: visible text})."""
        found = {}
        for where, text in texts.items():
            if english := english_in(text):
                found[where] = english
        return found

    def test_main_screens_in_chinese(self):
        screens = {
            "helpdesk.ticket": [(False, "form"), (False, "list")],
            "agreement": [(False, "form"), (False, "list")],
            "helpdesk.service.plan": [(False, "form"), (False, "list")],
            "helpdesk.service.acceptance": [(False, "form"), (False, "list")],
            "helpdesk.service.plan.quality.check": [(False, "form"), (False, "list")],
            "project.task": [
                (False, "form"),
                (self.env.ref(f"{MODULE}.project_task_tracking_view_list").id, "list"),
            ],
            "helpdesk.service.summary": [(False, "form"), (False, "list")],
        }
        texts = {}
        for user in (self.agent, self.lead, self.manager):
            env = self._zh(user)
            for model, views in screens.items():
                if not env[model].has_access("read"):
                    continue
                result = env[model].get_views(views)
                texts[f"{model} ({user.login})"] = visible_arch_text(result, model)
        self.assertEqual(self._english(texts), {})

    def test_portal_pages_in_chinese(self):
        self.authenticate("hsa_wording_portal", "hsa_wording_portal_pw")
        urls = [
            "/my",
            "/my/tickets",
            f"/my/ticket/{self.ticket.id}",
            f"/my/ticket/{self.complaint.id}",
            "/my/service_plans",
            f"/my/service_plans/{self.plan.id}",
            "/my/acceptances",
            f"/my/acceptances/{self.acceptance.id}",
            "/my/agreements",
            f"/my/agreements/{self.agreement.id}",
            "/my/service_archive",
        ]
        texts = {}
        for url in urls:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertTrue(response.url.endswith(url), response.url)
            texts[url] = visible_page_text(response.text)
        self.assertEqual(self._english(texts), {})

    def test_complaint_shows_the_customer_customer_text(self):
        """A complaint opened from a survey answer keeps its description
        (scores against the threshold) for the team; the customer reads why
        it was opened, in their language."""
        # the scores, written for the complaint's owner
        self.assertIn("<li>", self.complaint.description)
        # the title in the customer's language: Chinese but for the number
        self.assertNotRegex(self.complaint.name, "[A-Za-z]{3}")
        self.authenticate("hsa_wording_portal", "hsa_wording_portal_pw")
        response = self.url_open(f"/my/ticket/{self.complaint.id}")
        text = visible_page_text(response.text)
        for internal in ("阈值", "平均分", "threshold", "average"):
            self.assertNotIn(internal, text)
        self.assertIn("来自您的客户满意度反馈", text)
        self.assertIn(self.complaint.complaint_satisfaction_id.acceptance_id.name, text)

    def test_one_term_per_concept(self):
        """Complaint result, quality check result and date, rectification:
        the glossary's words on the form, the portal and the PDFs."""
        zh = self._zh(self.manager)
        form = visible_arch_text(
            zh["helpdesk.ticket"].get_views([(False, "form")]), "helpdesk.ticket"
        )
        self.assertIn("投诉处理结果", form)
        self.assertNotIn("验收结果", form)
        check = zh["helpdesk.service.plan.quality.check"].create(
            {
                "task_id": self.plan.task_ids[:1].id,
                "criteria": "每分钟打印20页",
                "result": "pass",
            }
        )
        html_check = visible_page_text(
            zh["ir.actions.report"]
            ._render_qweb_html(
                f"{MODULE}.action_report_helpdesk_service_plan_quality_check", check.ids
            )[0]
            .decode()
        )
        for term in ("检查日期", "检查结果", "合格"):
            self.assertIn(term, html_check)
        for term in ("验收结果", "校验时间"):
            self.assertNotIn(term, html_check)
        html_complaint = visible_page_text(
            zh["ir.actions.report"]
            ._render_qweb_html(
                f"{MODULE}.action_report_helpdesk_ticket_problem_record",
                self.complaint.ids,
            )[0]
            .decode()
        )
        self.assertIn("投诉处理结果", html_complaint)
        self.assertNotIn("验收结果", html_complaint)
        # a deliverable sent back reads 需整改 where the customer chose it
        line = self.env["helpdesk.service.acceptance.line"]
        labels = dict(
            line.with_context(lang="zh_CN")._fields["result"]._description_selection(zh)
        )
        self.assertEqual(labels, {"pass": "合格", "fail": "需整改"})

    def test_terms_of_other_modules(self):
        """helpdesk_mgmt_project's and the web client's terms the team meets;
        a plan's task counts and opens its plan's tickets."""
        zh = self._zh(self.agent)
        labels = zh["helpdesk.ticket"].fields_get(
            ["project_id", "task_id", "milestone_id"], ["string"]
        )
        self.assertEqual(
            [
                labels[fname]["string"]
                for fname in ("project_id", "task_id", "milestone_id")
            ],
            ["项目", "任务", "里程碑"],
        )
        translations, _params = self.env["ir.http"]._get_translations_for_webclient(
            ["web"], "zh_CN"
        )
        messages = {
            message["id"]: message["string"]
            for message in translations["web"]["messages"]
        }
        self.assertEqual(messages["Missing required fields"], "缺少必填字段")
        # the portal's chatter is mail's code: its terms reach the portal
        IrHttp = self.env["ir.http"]
        frontend = IrHttp._get_translation_frontend_modules_name()
        self.assertIn("mail", frontend)
        translations, _params = IrHttp._get_translations_for_webclient(
            frontend, "zh_CN"
        )
        self.assertIn(
            {"id": "The conversation is empty.", "string": "对话内容为空"},
            [dict(message) for message in translations["mail"]["messages"]],
        )
        task = self.plan.task_ids[:1].with_user(self.agent).with_context(lang="zh_CN")
        self.assertEqual(task.label_tickets, "工单")
        self.assertEqual(task.with_context(lang="en_US").label_tickets, "Tickets")
        self.assertEqual(task.ticket_count, 1)
        # written for its owner's team, not in the language of the customer
        # who confirmed the plan
        self.assertIn("验收标准", task.description)
        action = task.action_view_ticket()
        self.assertEqual(
            self.env["helpdesk.ticket"].search(
                action.get("domain") or [("id", "=", action["res_id"])]
            ),
            self.ticket,
        )

    def test_english_reader_meets_no_chinese(self):
        """What the system writes reads in the reader's language: the
        summary's title, the chatter a Chinese team wrote."""
        team = self.env["helpdesk.ticket.team"].create({"name": "After-sales Support"})
        team.update_field_translations("name", {"zh_CN": "售后服务组"})
        summary = self.env["helpdesk.service.summary"].create(
            {
                "scope": "team",
                "team_id": team.id,
                "period_type": "month",
                "date_start": date(2026, 11, 1),
                "date_end": date(2026, 11, 30),
                "user_id": self.lead.id,
            }
        )
        self.assertEqual(
            summary.with_context(lang="en_US").name, "After-sales Support 2026-11"
        )
        self.assertEqual(summary.with_context(lang="zh_CN").name, "售后服务组 2026-11")
        self.assertEqual(
            self.env["helpdesk.service.summary"]
            .with_context(lang="en_US")
            .search([("name", "ilike", "After-sales")]),
            summary,
        )
        # a plan written by a Chinese agent, approved by a Chinese manager
        plan = self._plan(self.ticket_2, title="Scanner overhaul")
        # as in two transactions: creation, then review
        self._commit_tracking()
        plan.with_user(self.agent).with_context(lang="zh_CN").action_submit()
        plan.with_user(self.manager).with_context(lang="zh_CN").action_approve()
        agreement = self._create_agreement(
            env=self.env(user=self.manager, context={"lang": "zh_CN"}),
            activate=False,
            name="Annual IT service",
        )
        self._commit_tracking()
        en = self.env(context={"lang": "en_US"})
        for record in (plan, agreement):
            messages = en[record._name].browse(record.id).message_ids
            self.assertTrue(messages)
            written = [
                html.fromstring(message.body or "<p/>").text_content()
                for message in messages
            ]
            for values in messages.tracking_value_ids.with_env(
                en
            )._tracking_value_format():
                written += [
                    str(values["oldValue"] or ""),
                    str(values["newValue"] or ""),
                ]
            chinese = [text for text in written if CJK.search(text)]
            self.assertFalse(chinese, f"{record._name}: {chinese}")
        # stored as its Chinese writer saw it ...
        stored = (
            en["helpdesk.service.plan"].browse(plan.id).message_ids.tracking_value_ids
        )
        self.assertIn("已批准", stored.mapped("new_value_char"))
        # ... and the Chinese reader reads them in Chinese
        zh = self.env(context={"lang": "zh_CN"})
        states = [
            values["newValue"]
            for values in zh["helpdesk.service.plan"]
            .browse(plan.id)
            .message_ids.tracking_value_ids._tracking_value_format()
        ]
        self.assertIn("已批准", states)

    def test_screens(self):
        """What the team noticed on its first day: the new ticket, the task
        tracking list, the quality check's task, the agreement's template
        flag, the portal archive's columns."""
        zh = self._zh(self.manager)
        self.assertEqual(self.env["helpdesk.ticket"].new({}).display_name, "New")
        self.assertEqual(zh["helpdesk.ticket"].new({}).display_name, "新建")
        self.assertEqual(
            self.ticket.display_name, f"{self.ticket.number} - 打印机无法开机"
        )

        def arch(model, view_type="form", view_id=False):
            views = zh[model].get_views([(view_id, view_type)])["views"]
            return etree.fromstring(views[view_type]["arch"])

        ticket_form = arch("helpdesk.ticket")
        for name in (
            "action_open_transfer_wizard",
            "action_request_acceptance",
            "action_open_escalation_wizard",
            "action_create_service_plan",
        ):
            buttons = ticket_form.xpath(f"//header/button[@name='{name}']")
            self.assertTrue(buttons, name)
            for button in buttons:
                self.assertIn("not id", button.get("invisible"), name)
        (number,) = ticket_form.xpath("//h1/field[@name='number']")
        self.assertEqual(number.get("invisible"), "not id")
        tracking = arch(
            "project.task",
            "list",
            self.env.ref(f"{MODULE}.project_task_tracking_view_list").id,
        )
        self.assertFalse(tracking.xpath("//field[@name='stage_id']"))
        for fname in ("service_late", "delay_expected", "quality_result"):
            self.assertTrue(tracking.xpath(f"//field[@name='{fname}']/@width"), fname)
        check_form = arch("helpdesk.service.plan.quality.check")
        (task,) = check_form.xpath("//sheet//field[@name='task_id']")
        self.assertIn("no_create", task.get("options"))
        agreement_form = arch("agreement")
        labels = agreement_form.xpath("//field[@name='is_template']/@string")
        self.assertEqual(set(labels), {"协议模板"})
        self.authenticate("hsa_wording_portal", "hsa_wording_portal_pw")
        page = html.fromstring(self.url_open("/my/service_archive").text)
        headers = [
            " ".join(th.text_content().split()) for th in page.xpath("//thead//th")
        ]
        self.assertTrue(headers)
        self.assertEqual(len(headers), len(set(headers)), headers)
