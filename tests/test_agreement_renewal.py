# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import MODULE, ServiceCommon


@tagged("post_install", "-at_install")
class TestAgreementRenewal(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "customer@example.com"
        cls.agreement = cls._create_agreement(user_id=cls.manager.id)

    def _renewal_activities(self):
        return self.agreement.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )

    def test_expiring_flag_follows_the_notice_window(self):
        with self._at("2026-11-30"):
            self.agreement.invalidate_recordset(["is_expiring"])
            self.assertFalse(self.agreement.is_expiring)
            self.assertNotIn(
                self.agreement,
                self.env["agreement"].search([("is_expiring", "=", True)]),
            )
        with self._at("2026-12-02"):
            self.agreement.invalidate_recordset(["is_expiring"])
            self.assertTrue(self.agreement.is_expiring)
            self.assertIn(
                self.agreement,
                self.env["agreement"].search([("is_expiring", "=", True)]),
            )

    def test_cron_gives_the_notice_once(self):
        with self._at("2026-11-15"):
            self._run_cron(f"{MODULE}.ir_cron_agreement_renewal")
        self.assertFalse(self._renewal_activities())
        with self._at("2026-12-05"):
            self._run_cron(f"{MODULE}.ir_cron_agreement_renewal")
            self._run_cron(f"{MODULE}.ir_cron_agreement_renewal")
        self.assertEqual(len(self._renewal_activities()), 1)
        self.assertEqual(self._renewal_activities().user_id, self.manager)
        notices = self.agreement.message_ids.filtered(
            lambda m: "Renewal of your service agreement" in (m.subject or "")
        )
        self.assertEqual(len(notices), 1)
        self.assertIn(
            self.customer.partner_share and self.customer, notices.partner_ids
        )
        self.assertEqual(self.agreement.renewal_notice_date, date(2026, 12, 5))
        self.assertEqual(self.agreement.state, "active")

    def test_not_expiring_search_is_the_complement(self):
        draft = self._create_agreement(activate=False, code="DRAFT")
        template = self.env.ref(f"{MODULE}.agreement_template_default")
        with self._at("2026-12-05"):
            not_expiring = self.env["agreement"].search(
                [("is_expiring", "!=", True), ("is_template", "in", (True, False))]
            )
            self.assertNotIn(self.agreement, not_expiring)
            self.assertIn(draft, not_expiring)
            self.assertIn(template, not_expiring, "no end date: never expiring")
            self.assertEqual(
                self.agreement.filtered_domain([("is_expiring", "=", True)]),
                self.agreement,
            )

    def test_renewed_agreement_gets_no_notice(self):
        self.agreement._renew(date(2027, 1, 1), date(2027, 12, 31))
        with self._at("2026-12-05"):
            self._run_cron(f"{MODULE}.ir_cron_agreement_renewal")
        self.assertFalse(self._renewal_activities())
        self.assertFalse(self.agreement.renewal_notice_date)

    def test_cron_expires_agreements_past_their_end(self):
        with self._at("2027-01-01"):
            self._run_cron(f"{MODULE}.ir_cron_agreement_renewal")
        self.assertEqual(self.agreement.state, "expired")
        with self._at("2027-01-02"):
            self._run_cron(f"{MODULE}.ir_cron_agreement_renewal")
        self.assertEqual(self.agreement.state, "expired")

    def test_custom_notice_window(self):
        self.agreement.renewal_notice_days = 90
        with self._at("2026-10-05"):
            self._run_cron(f"{MODULE}.ir_cron_agreement_renewal")
        self.assertEqual(len(self._renewal_activities()), 1)

    def test_renewal_wizard_creates_linked_successor(self):
        action = self.agreement.with_user(self.manager).action_open_renewal_wizard()
        with Form.from_action(self.env(user=self.manager), action) as wizard:
            self.assertEqual(wizard.start_date, date(2027, 1, 1))
            self.assertEqual(wizard.end_date, date(2027, 12, 31))
        result = wizard.record.action_renew()
        successor = self.env["agreement"].browse(result["res_id"])
        self.assertEqual(successor.state, "draft")
        self.assertEqual(successor.predecessor_id, self.agreement)
        self.assertEqual(self.agreement.successor_id, successor)
        self.assertEqual(successor.partner_id, self.customer)
        self.assertEqual(len(successor.service_level_ids), 3)
        self.assertEqual(successor.start_date, date(2027, 1, 1))
        with self.assertRaisesRegex(UserError, "already renewed"):
            self.agreement.action_open_renewal_wizard()

    def test_terminated_agreement_cannot_be_renewed(self):
        wizard = self.env["agreement.termination.wizard"].create(
            {
                "agreement_id": self.agreement.id,
                "termination_date": "2026-06-30",
                "reason": "Customer closed the site",
            }
        )
        wizard.action_terminate()
        self.assertEqual(self.agreement.state, "terminated")
        self.assertEqual(self.agreement.termination_date, date(2026, 6, 30))
        self.assertEqual(self.agreement.end_date, date(2026, 6, 30))
        self.assertEqual(self.agreement.termination_reason, "Customer closed the site")
        with self.assertRaisesRegex(UserError, "active or expired"):
            self.agreement._renew(date(2027, 1, 1), date(2027, 12, 31))
        self.assertFalse(self.agreement.successor_id)

    def test_termination_needs_a_reason_and_a_valid_date(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self.agreement._terminate(date(2026, 6, 30), "  ")
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            self.agreement._terminate(date(2025, 6, 30), "early")
        self.assertEqual(self.agreement.state, "active")

    def test_renewal_dates_checked(self):
        with self.assertRaisesRegex(ValidationError, "end before it starts"):
            self.agreement._renew(date(2027, 1, 1), date(2026, 1, 1))
        self.assertFalse(self.agreement.successor_id)
