# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A Chinese customer meets Chinese on helpdesk_mgmt's portal pages.

OCA helpdesk_mgmt ships no zh_CN: its terms come from this addon's
i18n_extra/zh_CN.po. Only the visible text is checked (tags, attributes,
scripts and styles left out). The drop-down menus of the portal search bar
on /my/tickets are checked apart: helpdesk_mgmt's controller builds those
labels with _() in Python, and Odoo reads such code translations only from
helpdesk_mgmt's own po files, so this addon's controller relabels them
(controllers/portal_ticket.py)."""

import re

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

ENGLISH = (
    "Tickets",
    "Send a new ticket",
    "Subject",
    "Description",
    "Category",
    "Stage",
    "Create Date",
)

# the search bar's menus, filled by helpdesk_mgmt's Python code (see above)
CODE_TRANSLATED = (
    "//nav[contains(concat(' ', @class, ' '), ' o_portal_navbar ')]"
    "//*[contains(concat(' ', @class, ' '), ' dropdown-menu ')]"
)


def visible_text(page):
    """The text a reader sees in the page's body: no tags, attributes,
    scripts, styles nor templates."""
    body = html.fromstring(page).find("body")
    for node in body.xpath(f"//script|//style|//template|{CODE_TRANSLATED}"):
        node.drop_tree()
    return " ".join(" ".join(body.itertext()).split())


@tagged("post_install", "-at_install")
class TestZhCnPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # in dependency order, so that this addon's i18n_extra/zh_CN.po comes
        # last and wins (it corrects a term of OCA agreement's zh_CN.po)
        cls.env["ir.module.module"]._load_module_terms(
            ["agreement", "helpdesk_mgmt", "helpdesk_service_agreement"],
            ["zh_CN"],
            overwrite=True,
        )
        cls.env.company.write(
            {
                "helpdesk_mgmt_portal_select_team": True,
                "helpdesk_mgmt_portal_select_category": True,
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "售后服务组", "show_in_portal": True}
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "设备故障", "show_in_portal": True}
        )
        # a contact takes its company's language: both are Chinese
        customer = cls.env["res.partner"].create(
            {"name": "华东制造有限公司", "is_company": True, "lang": "zh_CN"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="hsa_zh_portal",
            password="hsa_zh_portal_pw",
            groups="base.group_portal",
            name="王小明",
            email="wang.xiaoming@example.com",
            lang="zh_CN",
        )
        cls.portal_user.partner_id.parent_id = customer
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "打印机无法开机",
                "description": "<p>今天早上开始无法开机。</p>",
                "partner_id": cls.portal_user.partner_id.id,
                "team_id": cls.team.id,
                "category_id": cls.category.id,
            }
        )

    def _visible_text(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        # not sent to the login page nor to /my
        self.assertTrue(response.url.endswith(url), response.url)
        return visible_text(response.text)

    def _assert_chinese(self, url, *chinese):
        text = self._visible_text(url)
        english = [
            term
            for term in ENGLISH
            if re.search(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", text)
        ]
        self.assertFalse(english, f"English on {url}: {english}\n{text}")
        missing = [term for term in chinese if term not in text]
        self.assertFalse(missing, f"missing on {url}: {missing}\n{text}")

    def test_portal_pages_in_chinese(self):
        self.assertEqual(self.portal_user.lang, "zh_CN")
        self.authenticate("hsa_zh_portal", "hsa_zh_portal_pw")
        self._assert_chinese(
            "/my/tickets",
            "工单",
            "类别",
            "阶段",
            "创建日期",
            "阶段更新时间",
            "打印机无法开机",
            "新建",
        )
        self._assert_chinese(
            "/new/ticket",
            "提交新工单",
            "团队",
            "类别",
            "主题",
            "添加附件",
            "描述",
            "提交工单",
        )
        self._assert_chinese(
            f"/my/ticket/{self.ticket.id}",
            "工单",
            "阶段：",
            "新建",
            "创建日期：",
            "阶段更新时间：",
            "类别：",
            "描述",
            "沟通记录",
        )

    def test_backend_terms_in_chinese(self):
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(
            [
                zh.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{stage}").name
                for stage in ("new", "in_progress", "awaiting", "done", "cancelled")
            ],
            ["新建", "处理中", "等待中", "已完成", "已取消"],
        )
        fields = zh["helpdesk.ticket"].fields_get(
            ["team_id", "user_id", "description"], ["string"]
        )
        self.assertEqual(fields["team_id"]["string"], "团队")
        self.assertEqual(fields["user_id"]["string"], "负责人")
        self.assertEqual(fields["description"]["string"], "描述")
        self.assertEqual(
            zh.ref("helpdesk_mgmt.helpdesk_ticket_main_menu").name, "服务台"
        )
        self.assertEqual(zh.ref("helpdesk_mgmt.helpdesk_ticket_menu").name, "工单")
        # OCA agreement's own zh_CN.po says 协议类型 (agreement type) here
        form = zh.ref("agreement.agreement_form").arch_db
        self.assertIn('placeholder="协议名称"', form)
        self.assertNotIn('placeholder="协议类型"', form)

    def test_search_bar_menus_in_chinese(self):
        self.authenticate("hsa_zh_portal", "hsa_zh_portal_pw")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        body = html.fromstring(response.text).find("body")
        menus = " ".join(
            " ".join(node.itertext()) for node in body.xpath(CODE_TRANSLATED)
        )
        menus = " ".join(menus.split())
        for chinese in ("最新", "标题", "阶段", "全部", "无", "在全部中搜索"):
            self.assertIn(chinese, menus)
        for english in ("Newest", "Title", "Last Stage Update", "All", "None"):
            self.assertNotRegex(menus, rf"(?<![A-Za-z]){english}(?![A-Za-z])")
