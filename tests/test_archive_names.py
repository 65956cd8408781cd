# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every document the archive files has a human name in its document's
language: the type of document, the record's number and the customer, in
the file name, in the filed document's source name and in the dossier's
index — never ``model,id`` or an unsaved record's ``NewId``. One document of
each type is filed for a Chinese customer and for an English one."""

import io
import re
import zipfile
from datetime import date

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import MODULE
from .plan_common import PlanCommon
from .satisfaction_common import SatisfactionCommon

REQUEST = "helpdesk.service.archive.request"
DOSSIER = f"{MODULE}.report_helpdesk_service_archive_dossier"
# technical names a filed document must never carry
TECHNICAL = re.compile(r"helpdesk\.|res\.partner,|agreement,|NewId|,\s*\d+")
# the shipped Chinese type labels (i18n/zh_CN.po)
LABELS = {
    "en_US": {
        "registration": "Customer Registration Form",
        "agreement": "Service Agreement",
        "problem_record": "Problem Record",
        "postmortem": "Postmortem",
        "acceptance": "Acceptance Form",
        "satisfaction": "Satisfaction Feedback",
        "complaint": "Complaint Record",
        "summary": "Service Summary Report",
        "plan": "Service Plan",
        "plan_confirmation": "Service Plan Confirmation",
        "progress_report": "Progress Report",
        "quality_check": "Quality Check Record",
    },
    "zh_CN": {
        "registration": "客户信息登记表",
        "agreement": "客户服务协议",
        "problem_record": "问题处理记录表",
        "postmortem": "复盘报告",
        "acceptance": "服务验收单",
        "satisfaction": "客户满意度反馈表",
        "complaint": "客户投诉处理记录表",
        "summary": "服务总结报告",
        "plan": "服务方案",
        "plan_confirmation": "服务方案确认书",
        "progress_report": "进度简报",
        "quality_check": "内部质量检查记录",
    },
}


@tagged("post_install", "-at_install")
class TestArchiveNames(PlanCommon, SatisfactionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            [MODULE], ["zh_CN"], overwrite=True
        )
        cls.customer.customer_code = "C-0042"

    def _file_every_type(self):
        """One final record of every type the archive files, for the
        customer, all filed; returns ``{document type: number}``."""
        numbers = {"registration": "C-0042"}
        # a confirmed plan, a quality check of its task, a progress report
        plan = self._confirmed()
        numbers["plan"] = numbers["plan_confirmation"] = plan.name
        task = plan.task_ids.filtered(lambda task: task.name == "Fuser replaced")
        check = (
            self.env["helpdesk.service.plan.quality.check"]
            .with_user(self.lead)
            .create(
                {"task_id": task.id, "criteria": "20 pages a minute", "result": "pass"}
            )
        )
        numbers["quality_check"] = check.name
        with self._at("2026-03-10 09:00:00"):
            self._run_cron(f"{MODULE}.ir_cron_service_plan_progress")
        numbers["progress_report"] = plan.progress_ids.name
        # an accepted form, its answered feedback, the closed ticket
        acceptance, satisfaction = self._accepted(self.ticket_2)
        self._answer(satisfaction, 5, 4, 5, 9, "Quick and clear")
        numbers["acceptance"] = acceptance.name
        numbers["satisfaction"] = satisfaction.name
        self.ticket_2.stage_id = self.stage_done
        numbers["problem_record"] = self.ticket_2.number
        # a closed complaint and a finished postmortem (no acceptance gate)
        complaint = self._create_ticket(
            name="Engineer was rude",
            request_type="complaint",
            complaint_channel="phone",
        )
        complaint.agreement_id = False
        complaint.complaint_result = "We apologised and changed the engineer."
        complaint.action_complaint_satisfied()
        complaint.stage_id = self.stage_done
        numbers["complaint"] = complaint.number
        postmortem = self.env["helpdesk.ticket.postmortem"].create(
            {
                "ticket_id": self._create_ticket(name="Order system down").id,
                "impact": "<p>All branches stopped taking orders.</p>",
                "root_cause": "<p>An expired certificate.</p>",
                "corrective_actions": "<p>Certificate renewed.</p>",
                "preventive_actions": "<p>Expiry monitored.</p>",
            }
        )
        postmortem.action_done()
        # its number and its ticket's
        numbers["postmortem"] = f"{postmortem.name} {postmortem.ticket_id.number}"
        # an approved customer summary
        summary = (
            self.env["helpdesk.service.summary"]
            .with_user(self.lead)
            .create(
                {
                    "scope": "customer",
                    "date_start": date(2026, 3, 1),
                    "date_end": date(2026, 3, 31),
                    "partner_id": self.customer.id,
                    "user_id": self.lead.id,
                    "analysis": "<p>Good month.</p>",
                }
            )
        )
        summary.action_submit()
        summary.with_user(self.manager).action_approve()
        # its period and customer (a name that holds the customer's)
        numbers["summary"] = summary.name
        # the agreement, terminated
        self.agreement._terminate(fields.Date.today(), "Customer moved away")
        numbers["agreement"] = self.agreement.code
        Request = self.env[REQUEST].sudo()
        for _round in range(2):  # the registration is queued by the first
            Request.search([("state", "=", "pending")])._file()
        failed = Request.search([("state", "=", "failed")])
        self.assertFalse(failed, failed.mapped("error"))
        self.env.invalidate_all()
        return numbers

    def _assert_names(self, lang, customer_name):
        numbers = self._file_every_type()
        archive = self.env["helpdesk.service.archive"].search(
            [("partner_id", "=", self.customer.id)]
        )
        documents = archive.sudo().document_ids
        self.assertEqual(set(documents.mapped("document_type")), set(LABELS[lang]))
        labels = LABELS[lang]
        other_labels = LABELS["zh_CN" if lang == "en_US" else "en_US"]
        for document in documents:
            kind = document.document_type
            with self.subTest(lang=lang, document_type=kind):
                number = numbers[kind]
                self.assertTrue(number)
                self.assertNotEqual(number, "New")
                title = (
                    number if customer_name in number else f"{number} {customer_name}"
                )
                self.assertIn(customer_name, title)
                self.assertEqual(document.res_name, title)
                self.assertEqual(document.file_name, f"{labels[kind]} {title}.pdf")
                for name in (document.res_name, document.file_name):
                    self.assertNotRegex(name, TECHNICAL)
                # a label of the other language's type never
                self.assertNotIn(other_labels[kind], document.file_name)
        # the dossier's index lists each document under its human name, the
        # zip its files under their file names
        index = (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            ._render_qweb_html(DOSSIER, archive.ids)[0]
            .decode()
        )
        # its table (the page's own attributes name the archive's model)
        index = index[index.index("<tbody>") : index.index("</tbody>")]
        self.assertNotRegex(index, r"helpdesk\.|res\.partner,|NewId")
        for document in documents:
            self.assertIn(document.res_name, index)
            self.assertIn(labels[document.document_type], index)
        names = zipfile.ZipFile(io.BytesIO(archive._dossier_zip())).namelist()
        self.assertEqual(
            sorted(name.split(" ", 1)[1] for name in names),
            sorted(documents.mapped("file_name")),
        )

    def test_names_in_chinese(self):
        self.customer.write({"name": "上海星辰科技有限公司", "lang": "zh_CN"})
        self._assert_names("zh_CN", "上海星辰科技有限公司")

    def test_names_in_english(self):
        self.customer.lang = "en_US"
        self._assert_names("en_US", "HSA Customer Ltd")

    def test_new_quality_check_is_named_by_its_number(self):
        """While a lead writes it, a quality check reads "New", never a
        technical id; saved, it has its number."""
        plan = self._confirmed()
        task = plan.task_ids.filtered(lambda task: task.name == "Fuser replaced")
        Check = self.env["helpdesk.service.plan.quality.check"].with_user(self.lead)
        draft = Check.new({"task_id": task.id, "criteria": "20 pages a minute"})
        self.assertNotRegex(draft.display_name or "", TECHNICAL)
        with Form(Check) as form:
            self.assertEqual(form.name, "New")
            form.task_id = task
            form.criteria = "20 pages a minute"
            form.result = "pass"
        check = form.save()
        self.assertRegex(check.name, r"^ZJ\d{4}-\d{4}$")
        self.assertEqual(check.display_name, check.name)
        second = Check.create(
            {"task_id": task.id, "criteria": "Colour pages", "result": "pass"}
        )
        self.assertNotEqual(second.name, check.name)

    def test_numbers_are_the_systems(self):
        """Nobody writes a number: not on creation, not afterwards."""
        plan = self._confirmed()
        task = plan.task_ids.filtered(lambda task: task.name == "Fuser replaced")
        Check = self.env["helpdesk.service.plan.quality.check"].with_user(self.lead)
        values = {"task_id": task.id, "criteria": "20 pages a minute"}
        with self.assertRaises(AccessError):
            Check.create(dict(values, result="pass", name="ZJ-FORGED"))
        check = Check.create(dict(values, result="pass"))
        with self.assertRaises(AccessError):
            check.write({"name": "ZJ-FORGED"})
        ticket = self._create_ticket(name="Order system down")
        Postmortem = self.env["helpdesk.ticket.postmortem"].with_user(self.lead)
        with self.assertRaises(AccessError):
            Postmortem.create({"ticket_id": ticket.id, "name": "FP-FORGED"})
        postmortem = Postmortem.create({"ticket_id": ticket.id})
        self.assertRegex(postmortem.name, r"^FP\d{4}-\d{4}$")
        self.assertEqual(postmortem.display_name, f"{postmortem.name} {ticket.number}")
        with self.assertRaises(AccessError):
            postmortem.write({"name": "FP-FORGED"})
        with self._at("2026-03-10 09:00:00"):
            self._run_cron(f"{MODULE}.ir_cron_service_plan_progress")
        report = plan.progress_ids
        self.assertRegex(report.name, r"^JB\d{4}-\d{4}$")
        self.assertTrue(report.display_name.startswith(report.name))
        with self.assertRaises(AccessError):
            report.with_user(self.manager).write({"name": "JB-FORGED"})
