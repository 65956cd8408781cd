# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Typical cases become knowledge (知识库): a closed ticket or a finished
postmortem gives a page of OCA's knowledge base in Service Knowledge,
pre-filled and linked back; the page's history is the knowledge update
record; tickets of the same category show it among their related articles."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MODULE, ServiceCommon


@tagged("post_install", "-at_install")
class TestKnowledge(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref(f"{MODULE}.document_page_service_knowledge")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.ticket = cls._create_ticket(
            name="Printer prints blank pages",
            description="<p>Every page comes out blank.</p>",
            category_id=cls.category_hw.id,
        )
        cls.ticket.message_post(
            body="Replace the toner cartridge; the seal was left on.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.agent.partner_id.id,
        )

    def _add(self, record, user=None):
        """Add to Knowledge Base, as the agent does: the page it opens."""
        action = record.with_user(user or self.agent).action_add_to_knowledge_base()
        return self.env["document.page"].browse(action["res_id"])

    def test_closed_ticket_becomes_a_page_once(self):
        with self.assertRaises(UserError):
            self.ticket.with_user(self.agent).action_add_to_knowledge_base()
        self.ticket.stage_id = self.stage_done
        page = self._add(self.ticket)
        self.assertEqual(page.parent_id, self.category)
        self.assertEqual(page.helpdesk_ticket_id, self.ticket)
        self.assertEqual(page.helpdesk_category_id, self.category_hw)
        self.assertIn("Every page comes out blank.", page.content)
        self.assertIn("seal was left on", page.content)
        self.assertIn("<h3>Solution</h3>", page.content)
        # the ticket's page is opened again, not made twice
        again = self._add(self.ticket)
        self.assertEqual(again, page)
        # the knowledge update record: every change is a history entry
        self.assertEqual(len(page.history_ids), 1)
        page.with_user(self.agent).write(
            {
                "content": page.content + "<p>Also check the drum.</p>",
                "draft_summary": "drum",
            }
        )
        self.assertEqual(len(page.history_ids), 2)
        self.assertEqual(page.history_ids[0].summary, "drum")

    def test_related_articles_of_the_category(self):
        self.ticket.stage_id = self.stage_done
        self.ticket.with_user(self.agent).action_add_to_knowledge_base()
        other = self._create_ticket(
            name="Blank pages again", category_id=self.category_hw.id
        )
        self.assertEqual(other.with_user(self.agent).related_knowledge_count, 1)
        action = other.with_user(self.agent).action_view_related_knowledge()
        pages = self.env["document.page"].with_user(self.agent).search(action["domain"])
        self.assertEqual(pages.helpdesk_ticket_id, self.ticket)
        uncategorised = self._create_ticket(name="Elsewhere")
        self.assertEqual(uncategorised.with_user(self.agent).related_knowledge_count, 0)

    def test_postmortem_becomes_a_page(self):
        self.ticket.stage_id = self.stage_done
        postmortem = self.env["helpdesk.ticket.postmortem"].create(
            {
                "ticket_id": self.ticket.id,
                "impact": "<p>Two floors without printing.</p>",
                "root_cause": "<p>Toner seal not removed.</p>",
                "corrective_actions": "<p>Seal removed.</p>",
                "preventive_actions": "<p>Checklist for new cartridges.</p>",
            }
        )
        with self.assertRaises(UserError):
            postmortem.with_user(self.agent).action_add_to_knowledge_base()
        postmortem.action_done()
        page = self._add(postmortem)
        self.assertEqual(page.helpdesk_postmortem_id, postmortem)
        for text in ("Toner seal not removed.", "Checklist for new cartridges."):
            self.assertIn(text, page.content)

    def test_who_may_add(self):
        self.ticket.stage_id = self.stage_done
        employee = new_test_user(
            self.env, login="hsa_kb_employee", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.ticket.with_user(employee).action_add_to_knowledge_base()
        # an agent of another team cannot turn this team's ticket into a page
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.agent_2).action_add_to_knowledge_base()
        # the page's links are set by the action, not by hand
        page = self._add(self.ticket)
        other = self._create_ticket(name="Another")
        with self.assertRaises(AccessError):
            page.with_user(self.agent).write({"helpdesk_ticket_id": other.id})
        self.assertEqual(page.helpdesk_ticket_id, self.ticket)
