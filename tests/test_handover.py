# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.helpdesk_service_agreement.models.helpdesk_service_handover_scope import (  # noqa: E501
    owned_rules,
    user_fields,
)

from .common import MODULE
from .plan_common import PlanCommon

WIZARD = "helpdesk.service.handover.wizard"


@tagged("post_install", "-at_install")
class TestHandover(PlanCommon):
    """A departing agent owning one record of every kind hands over in one
    transaction: nothing open still points at them, the record is filed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leaver = new_test_user(
            cls.env, login="hsa_leaver", groups=f"{MODULE}.group_service_agent"
        )
        cls.team_support.user_ids = [(4, cls.leaver.id)]
        cls.owned = cls._own_everything(cls.leaver)

    @classmethod
    def _own_everything(cls, user):
        env = cls.env
        ticket = cls._create_ticket(name="Leaver's ticket", user_id=user.id)
        complaint = cls._create_ticket(name="Leaver's complaint")
        complaint.sudo().complaint_owner_id = user
        plan = cls._plan(tickets=ticket, user=user)
        plan.deliverable_ids[:1].user_id = user
        acceptance = cls._request(cls.ticket_2)
        acceptance.sudo().user_id = user
        postmortem = env["helpdesk.ticket.postmortem"].create(
            {"ticket_id": ticket.id, "user_id": user.id}
        )
        summary = env["helpdesk.service.summary"].create(
            {
                "period_type": "month",
                "date_start": "2026-01-01",
                "date_end": "2026-01-31",
                "scope": "team",
                "team_id": cls.team_support.id,
                "user_id": user.id,
            }
        )
        night = env["helpdesk.ticket.team"].create(
            {"name": "HSA Night", "user_id": user.id, "user_ids": [(4, user.id)]}
        )
        cls.agreement.user_id = user
        cls.agreement.service_level_ids[:1].owner_user_ids = [(4, user.id)]
        project = env["project.project"].create(
            {"name": "HSA Rollout", "user_id": user.id}
        )
        task = env["project.task"].create(
            {"name": "Fit fusers", "project_id": project.id, "user_ids": [user.id]}
        )
        cls.customer.user_id = user
        cls.company.complaint_manager_id = user
        activity = ticket.activity_schedule(
            "mail.mail_activity_data_todo", user_id=user.id, summary="Call back"
        )
        cls.customer.message_subscribe(partner_ids=user.partner_id.ids)
        return {
            "ticket": ticket,
            "complaint": complaint,
            "plan": plan,
            "acceptance": acceptance,
            "postmortem": postmortem,
            "summary": summary,
            "team": night,
            "project": project,
            "task": task,
            "activity": activity,
        }

    def _wizard(self, user=None, **vals):
        form = Form(self.env[WIZARD].with_user(user or self.manager))
        form.user_id = self.leaver
        for fname, value in vals.items():
            setattr(form, fname, value)
        return form.save()

    def _left_behind(self, user):
        """(model, field, ids) of open records still pointing at ``user``."""
        env = self.env(su=True, context={"active_test": False})
        rules, unknown = owned_rules(env)
        self.assertFalse(unknown, "user fields nobody classified")
        left = []
        for model, fname, open_domain in rules:
            records = env[model].search(Domain(fname, "in", user.ids) & open_domain)
            if records:
                left.append((model, fname, records.ids))
        if env["mail.activity"].search([("user_id", "=", user.id)]):
            left.append(("mail.activity", "user_id", []))
        return left

    def test_every_user_field_is_classified(self):
        """A new model with a user field fails here until it says whether
        the field is owned work (and what is open) or history."""
        fields_found = user_fields(self.env)
        self.assertIn(("helpdesk.ticket", "user_id"), fields_found)
        self.assertIn(("project.task", "user_ids"), fields_found)
        _rules, unknown = owned_rules(self.env)
        self.assertEqual(unknown, [])

    def test_hand_over_everything(self):
        before = self._left_behind(self.leaver)
        kinds = {(model, fname) for model, fname, _ids in before}
        # one record of every kind the fixture builds
        for kind in [
            ("helpdesk.ticket", "user_id"),
            ("helpdesk.ticket", "complaint_owner_id"),
            ("helpdesk.service.plan", "user_id"),
            ("helpdesk.service.plan.deliverable", "user_id"),
            ("helpdesk.service.acceptance", "user_id"),
            ("helpdesk.ticket.postmortem", "user_id"),
            ("helpdesk.service.summary", "user_id"),
            ("helpdesk.ticket.team", "user_id"),
            ("helpdesk.ticket.team", "user_ids"),
            ("agreement", "user_id"),
            ("agreement.service.level", "owner_user_ids"),
            ("project.project", "user_id"),
            ("project.task", "user_ids"),
            ("res.partner", "user_id"),
            ("res.company", "complaint_manager_id"),
            ("mail.activity", "user_id"),
        ]:
            self.assertIn(kind, kinds)
        wizard = self._wizard()
        # the team lead of the leaver's team is proposed for every kind
        self.assertEqual(wizard.default_successor_id, self.lead)
        self.assertEqual(wizard.line_ids.successor_id, self.lead)
        plan_line = wizard.line_ids.filtered(
            lambda line: line.key == "helpdesk.service.plan:user_id"
        )
        plan_line.successor_id = self.agent_2
        action = wizard.with_user(self.manager).action_hand_over()
        handover = self.env["helpdesk.service.handover"].browse(action["res_id"])

        self.assertEqual(self._left_behind(self.leaver), [])
        owned = self.owned
        self.assertEqual(owned["ticket"].user_id, self.lead)
        self.assertEqual(owned["plan"].user_id, self.agent_2)
        self.assertNotIn(self.leaver, self.team_support.user_ids)
        self.assertEqual(owned["activity"].user_id, self.lead)
        self.assertNotIn(self.leaver.partner_id, self.customer.message_partner_ids)
        self.assertIn(self.lead.partner_id, self.customer.message_partner_ids)
        # a note on each moved record
        for record in (owned["ticket"], owned["plan"], owned["task"]):
            notes = record.message_ids.filtered(
                lambda message: handover.name in (message.body or "")
            )
            self.assertEqual(len(notes), 1, record)
        # access to customer data removed, still an internal user
        self.assertFalse(self.leaver.has_group(f"{MODULE}.group_service_agent"))
        self.assertFalse(self.leaver.has_group("helpdesk_mgmt.group_helpdesk_user_own"))
        self.assertTrue(self.leaver.active)
        # the hand-over record: numbered, final, lines saying what went where
        self.assertEqual(handover.state, "done")
        self.assertRegex(handover.name, r"^JJ\d{4}-\d{4}$")
        self.assertEqual(handover.user_id, self.leaver)
        self.assertEqual(handover.manager_id, self.manager)
        plan_lines = handover.line_ids.filtered(
            lambda line: line.successor_id == self.agent_2
        )
        self.assertEqual(plan_lines.res_model, "helpdesk.service.plan")
        self.assertEqual(plan_lines.res_id, owned["plan"].id)
        self.assertEqual(plan_lines.record_name, owned["plan"].display_name)
        with self.assertRaises(UserError):
            handover.sudo().write({"note": "changed"})
        with self.assertRaises(UserError):
            handover.line_ids[:1].sudo().write({"record_name": "x"})
        with self.assertRaises(UserError):
            handover.sudo().unlink()
        # filed in the company's own archive
        self.env["helpdesk.service.archive.request"].search(
            [("filing_key", "=", f"handover:{handover.id}")]
        )._file()
        document = self.env["helpdesk.service.archive.document"].search(
            [("res_model", "=", handover._name), ("res_id", "=", handover.id)]
        )
        self.assertEqual(document.document_type, "handover")
        self.assertEqual(document.partner_id, self.company.partner_id)
        self.assertTrue(document.file_size)

    def test_archive_the_user(self):
        wizard = self._wizard(access="archive")
        wizard.action_hand_over()
        self.assertFalse(self.leaver.active)
        self.assertEqual(self._left_behind(self.leaver), [])

    def test_manager_only(self):
        for user in (self.agent, self.lead):
            with self.assertRaises(AccessError):
                self._wizard(user=user)
        wizard = self._wizard()
        for user in (self.agent, self.lead):
            with self.assertRaises(AccessError):
                wizard.with_user(user).action_hand_over()
        with self.assertRaises(AccessError):
            self.env["helpdesk.service.handover"].with_user(self.lead).search([])

    def test_refused_successor(self):
        wizard = self._wizard()
        wizard.line_ids[:1].successor_id = self.leaver
        with self.assertRaises(UserError):
            wizard.action_hand_over()

    def test_failure_midway_leaves_nothing_half_done(self):
        wizard = self._wizard()
        Task = type(self.env["project.task"])
        original = Task.write

        def failing_write(records, vals):
            if "user_ids" in vals:
                raise UserError("disk full")  # pylint: disable=translation-required
            return original(records, vals)

        with patch.object(Task, "write", failing_write), self.assertRaises(UserError):
            wizard.action_hand_over()
        # the tickets moved before the failure are the leaver's again
        self.assertEqual(self.owned["ticket"].user_id, self.leaver)
        self.assertEqual(self.owned["plan"].user_id, self.leaver)
        self.assertIn(self.leaver, self.team_support.user_ids)
        self.assertTrue(self.leaver.has_group(f"{MODULE}.group_service_agent"))
        self.assertFalse(
            self.env["helpdesk.service.handover"].search(
                [("user_id", "=", self.leaver.id)]
            )
        )
