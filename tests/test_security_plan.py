# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .plan_common import PLAN, PlanCommon


@tagged("post_install", "-at_install")
class TestSecurityServicePlan(PlanCommon):
    """Attackers with the least rights: an agent moving a plan's state or
    forging a confirmation, reading the fees; a portal user reading drafts,
    fees or another customer's plans over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="hsa_plan_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "HSA Plan Customer B", "is_company": True}
        )
        cls.contact_b = cls.env["res.partner"].create(
            {"name": "B", "parent_id": cls.customer_b.id, "email": "b@example.com"}
        )
        cls.draft = cls._plan()
        cls.sent = cls._sent_plan(cls.ticket_2)
        cls.sent_b = cls._sent_plan(
            cls._create_ticket(name="Bravo", partner_id=cls.contact_b.id)
        )

    def test_agent_cannot_write_system_fields(self):
        plan = self.draft.with_user(self.agent)
        forged = {
            "state": "confirmed",
            "revision": 7,
            "signed_by": "Forged",
            "signer_partner_id": self.contact.id,
            "confirm_date": "2026-03-01",
            "approver_id": self.agent.id,
            "change_request": "none",
            "previous_id": self.sent.id,
            "name": "FA-FORGED",
        }
        for fname, value in forged.items():
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    plan.write({fname: value})
                with self.assertRaises(AccessError):
                    self.env[PLAN].with_user(self.agent).create(
                        {
                            "title": "Forged",
                            "ticket_ids": [Command.set(self.ticket.ids)],
                            fname: value,
                        }
                    )
        self.assertEqual(self.draft.state, "draft")
        self.assertFalse(self.draft.signed_by)
        # nor through the paper confirmation of a plan not approved
        with self.assertRaises(Exception):  # noqa: B017 - UserError
            plan._record_paper_confirmation(b"eA==", "x", "X", "2026-03-01", None)
        self.assertEqual(self.draft.state, "draft")

    def test_agent_cannot_read_or_write_fees(self):
        plan = self.draft.with_user(self.agent)
        for fname in ("fee_amount", "payment_terms"):
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    plan.read([fname])
                with self.assertRaises(AccessError):
                    plan.write({fname: 1 if fname == "fee_amount" else "x"})
        self.assertEqual(self.draft.sudo().fee_amount, 98765.43)
        self.assertEqual(
            self.draft.with_user(self.manager).read(["fee_amount"])[0]["fee_amount"],
            98765.43,
        )

    def test_agent_and_archivist_limits(self):
        with self.assertRaises(AccessError):
            self.draft.with_user(self.agent).unlink()
        with self.assertRaises(AccessError):
            self.draft.with_user(self.archivist).write({"title": "x"})
        with self.assertRaises(AccessError):
            self.sent.with_user(self.agent).action_approve()
        self.assertTrue(self.draft.with_user(self.archivist).read(["title"]))

    def test_portal_reads_only_its_sent_plans(self):
        Plan = self.env[PLAN].with_user(self.portal_user)
        self.assertEqual(Plan.search([]), self.sent)
        for plan in (self.draft, self.sent_b):
            with self.subTest(plan=plan.name):
                with self.assertRaises(AccessError):
                    plan.with_user(self.portal_user).read(["title"])
                with self.assertRaises(AccessError):
                    plan.deliverable_ids.with_user(self.portal_user).read(["name"])
        sent = self.sent.with_user(self.portal_user)
        self.assertEqual(sent.read(["title"])[0]["title"], self.sent.title)
        self.assertTrue(sent.deliverable_ids.read(["acceptance_standard"]))
        for fname in ("fee_amount", "payment_terms", "review_remark", "internal_note"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                sent.read([fname])
        with self.assertRaises(AccessError):
            sent.write({"title": "Portal"})
        with self.assertRaises(AccessError):
            sent.action_approve()
        with self.assertRaises(AccessError):
            sent.action_send()
