# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.service.model import get_public_method
from odoo.tests import new_test_user, tagged

from .acceptance_common import ACCEPTANCE, AcceptanceCommon, signature_png

LINE = "helpdesk.service.acceptance.line"


@tagged("post_install", "-at_install")
class TestSecurityAcceptance(AcceptanceCommon):
    """A pure Service Agent as the attacker of acceptance forms, as over RPC
    (with_user, public methods only): no forged answer, no state moved by
    hand, nothing of another team, company or customer; portal users and
    archivists only read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="hsa_acc_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.draft = cls._request(cls.ticket)
        cls.draft.internal_note = "<p>Margin is thin on this one.</p>"
        cls.sent = cls._sent(cls.ticket_2)

    def test_agent_forges_no_answer(self):
        Acceptance = self.env[ACCEPTANCE].with_user(self.agent)
        forged = {
            "state": "accepted",
            "signed_by": "Forger",
            "signature": signature_png(),
            "signer_partner_id": self.contact.id,
            "answer_date": "2026-01-01",
            "round": 3,
            "previous_id": self.sent.id,
            "next_id": self.sent.id,
            "paper_signer": "Forger",
            "paper_date": "2026-01-01",
            "name": "YS-FORGED",
        }
        for fname, value in forged.items():
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    Acceptance.create(
                        {"ticket_ids": [Command.set(self.ticket.ids)], fname: value}
                    )
                for acceptance in self.draft | self.sent:
                    with self.assertRaises(AccessError):
                        acceptance.with_user(self.agent).write({fname: value})
        for fname, value in (
            ("result", "pass"),
            ("customer_remark", "All good"),
            ("rectification_reason", "None"),
            ("previous_line_id", self.sent.line_ids.id),
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self.draft.line_ids.with_user(self.agent).write({fname: value})
        self.assertEqual(self.sent.state, "sent")
        self.assertFalse(self.sent.signed_by)
        # the customer's answer is no public method
        for method in (
            "_portal_accept",
            "_portal_request_rectification",
            "_record_paper_form",
            "_accept",
            "_open_next_round",
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                get_public_method(Acceptance, method)

    def test_agent_deletes_no_form(self):
        with self.assertRaises(AccessError):
            self.draft.with_user(self.agent).unlink()
        self.assertTrue(self.draft.exists())

    def test_agent_takes_nothing_of_another_team(self):
        hidden = self._create_ticket(name="Other team's", team_id=self.team_sales.id)
        with self.assertRaises(AccessError):
            hidden.with_user(self.agent).check_access("read")
        Acceptance = self.env[ACCEPTANCE].with_user(self.agent)
        with self.assertRaises(AccessError):
            Acceptance.create({"ticket_ids": [Command.set(hidden.ids)]})
        with self.assertRaises(AccessError):
            self.draft.with_user(self.agent).write(
                {"ticket_ids": [Command.link(hidden.id)]}
            )
        with self.assertRaises(AccessError):
            hidden.with_user(self.agent).action_request_acceptance()
        # nor hand over a file they may not read: the customer would get it
        secret = self.env["ir.attachment"].create(
            {
                "name": "other-team.txt",
                "raw": b"not yours",
                "res_model": "helpdesk.ticket",
                "res_id": hidden.id,
            }
        )
        line = self.draft.line_ids.with_user(self.agent)
        with self.assertRaises(AccessError):
            line.write({"attachment_ids": [Command.link(secret.id)]})
        with self.assertRaises(AccessError):
            line.create(
                {
                    "acceptance_id": self.draft.id,
                    "deliverable": "Leak",
                    "attachment_ids": [Command.set(secret.ids)],
                }
            )
        self.assertFalse(self.draft.line_ids.attachment_ids)

    def test_other_company_is_out_of_reach(self):
        company_b = self.env["res.company"].create({"name": "HSA Acceptance Co B"})
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "HSA Team B", "company_id": company_b.id}
        )
        ticket_b = self._create_ticket(company_id=company_b.id, team_id=team_b.id)
        acceptance_b = self.env[ACCEPTANCE].create(
            {
                "ticket_ids": [Command.set(ticket_b.ids)],
                "line_ids": [Command.create({"deliverable": "Company B's"})],
            }
        )
        self.assertEqual(acceptance_b.company_id, company_b)
        Acceptance = self.env[ACCEPTANCE].with_user(self.agent)
        self.assertNotIn(acceptance_b, Acceptance.search([]))
        with self.assertRaises(AccessError):
            acceptance_b.with_user(self.agent).read(["name"])
        with self.assertRaises(AccessError):
            acceptance_b.line_ids.with_user(self.agent).read(["deliverable"])

    def test_portal_user_reads_the_sent_forms_of_their_company(self):
        Acceptance = self.env[ACCEPTANCE].with_user(self.portal_user)
        self.assertEqual(Acceptance.search([]), self.sent)
        self.assertEqual(
            self.env[LINE].with_user(self.portal_user).search([]), self.sent.line_ids
        )
        with self.assertRaises(AccessError):
            self.draft.with_user(self.portal_user).read(["name"])
        sent = self.sent.with_user(self.portal_user)
        self.assertEqual(sent.read(["name"])[0]["name"], self.sent.name)
        with self.assertRaises(AccessError):
            sent.read(["internal_note"])
        with self.assertRaises(AccessError):
            sent.write({"contact_id": self.portal_user.partner_id.id})
        with self.assertRaises(AccessError):
            sent.line_ids.write({"customer_remark": "Mine"})
        # another customer's contact reads nothing
        stranger = new_test_user(
            self.env, login="hsa_acc_stranger", groups="base.group_portal"
        )
        self.assertFalse(self.env[ACCEPTANCE].with_user(stranger).search([]))

    def test_archivist_and_employee(self):
        self.assertEqual(
            self.draft.with_user(self.archivist).read(["name"])[0]["name"],
            self.draft.name,
        )
        with self.assertRaises(AccessError):
            self.draft.with_user(self.archivist).write({"user_id": self.archivist.id})
        with self.assertRaises(AccessError):
            self.env["helpdesk.service.acceptance.paper.wizard"].with_user(
                self.archivist
            ).create({"acceptance_id": self.sent.id, "paper_signer": "X"})
        employee = new_test_user(
            self.env, login="hsa_acc_employee", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.draft.with_user(employee).read(["name"])
