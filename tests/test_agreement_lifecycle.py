# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import MODULE, ServiceCommon


@tagged("post_install", "-at_install")
class TestAgreementLifecycle(ServiceCommon):
    def test_template_prefills_terms_and_levels(self):
        template = self.env.ref(f"{MODULE}.agreement_template_default")
        self.assertTrue(template.is_template)
        self.assertEqual(template.service_level_ids.mapped("level"), ["1", "2", "3"])
        level_2 = template.service_level_ids.filtered(lambda line: line.level == "2")
        self.assertEqual((level_2.response_hours, level_2.resolution_hours), (12, 48))
        form = Form(self.env["agreement"].with_user(self.manager))
        form.name = "Form agreement"
        form.code = "F-1"
        form.partner_id = self.customer
        form.template_id = template
        self.assertIn("confidential", form.confidentiality)
        self.assertEqual(len(form.service_level_ids), 3)
        agreement = form.save()
        self.assertEqual(len(agreement.service_level_ids), 3)
        self.assertEqual(
            agreement.resource_calendar_id, self.company.resource_calendar_id
        )
        self.assertEqual(
            template.service_level_ids.agreement_id,
            template,
            "the template is untouched",
        )

    @freeze_time("2026-03-15")
    def test_default_term_is_one_year(self):
        agreement = self.env["agreement"].create(
            {"name": "A", "code": "T-1", "partner_id": self.customer.id}
        )
        self.assertEqual(agreement.start_date, date(2026, 3, 15))
        self.assertEqual(agreement.end_date, date(2027, 3, 14))
        self.assertEqual(agreement.state, "draft")

    def test_activation_checks_completeness(self):
        agreement = self.env["agreement"].create(
            {"name": "A", "code": "T-2", "partner_id": self.customer.id}
        )
        agreement.resource_calendar_id = False
        with self.assertRaisesRegex(ValidationError, "service level.*working hours"):
            agreement.action_activate()
        self.assertEqual(agreement.state, "draft")
        agreement = self._create_agreement(
            activate=False, partner_id=False, is_template=False
        )
        with self.assertRaisesRegex(ValidationError, "customer"):
            agreement.action_activate()

    def test_activation_numbers_the_customer_once(self):
        agreement = self._create_agreement(activate=False)
        self.assertTrue(self.customer.customer_code, "numbered at its first agreement")
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")
        self.assertTrue(self.env["agreement"]._fields["state"].tracking)
        with self.assertRaisesRegex(UserError, "Only a draft"):
            agreement.action_activate()

    def test_end_before_start_refused(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self._create_agreement(activate=False, end_date="2025-01-01")
            self.env.flush_all()

    def test_negative_fee_and_liability_refused(self):
        agreement = self._create_agreement(activate=False)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            agreement.fee_amount = -1
            agreement.flush_recordset()
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["agreement.third.party"].create(
                {
                    "agreement_id": agreement.id,
                    "partner_id": self.contact.id,
                    "liability_limit": -5,
                }
            )
            self.env.flush_all()

    def test_service_level_targets(self):
        agreement = self._create_agreement(activate=False)
        level_1 = agreement.service_level_ids.filtered(lambda line: line.level == "1")
        for values in (
            {"response_hours": 0, "resolution_hours": 0},
            {"response_hours": -1},
            {"response_hours": 10, "resolution_hours": 5},
        ):
            with (
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                level_1.write(values)
                level_1.flush_recordset()
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["agreement.service.level"].create(
                {"agreement_id": agreement.id, "level": "1", "resolution_hours": 8}
            )
            self.env.flush_all()

    def test_overlapping_active_agreements_refused(self):
        self._create_agreement()
        other = self._create_agreement(
            activate=False, start_date="2026-06-01", end_date="2027-05-31"
        )
        with (
            self.assertRaisesRegex(ValidationError, "overlaps"),
            self.env.cr.savepoint(),
        ):
            other.action_activate()
        self.assertEqual(other.state, "draft")
        # another scope may overlap
        scope = self.env["agreement.type"].create({"name": "Hardware"})
        other.agreement_type_id = scope
        other.action_activate()
        self.assertEqual(other.state, "active")
        # moving it back into the first one's scope is refused as well
        with (
            self.assertRaisesRegex(ValidationError, "overlaps"),
            self.env.cr.savepoint(),
        ):
            other.agreement_type_id = False
        self.assertEqual(other.agreement_type_id, scope)

    def test_supplement_belongs_to_parent_customer(self):
        agreement = self._create_agreement()
        supplement = self._create_agreement(
            activate=False, parent_agreement_id=agreement.id, template_id=False
        )
        self.assertEqual(agreement.supplement_ids, supplement)
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "customer"):
            supplement.partner_id = other

    def test_confidential_terms_for_managers_only(self):
        agreement = self._create_agreement(fee_amount=5000, payment_terms="30 days")
        for user in (self.agent, self.lead, self.archivist):
            with self.assertRaises(AccessError):
                agreement.with_user(user).read(["fee_amount"])
            with self.assertRaises(AccessError):
                agreement.with_user(user).read(["confidentiality"])
            self.assertTrue(agreement.with_user(user).read(["scope", "state"]))
        self.assertEqual(agreement.with_user(self.manager).fee_amount, 5000)

    def test_agents_cannot_change_agreements(self):
        agreement = self._create_agreement(activate=False)
        with self.assertRaises(AccessError):
            agreement.with_user(self.agent).write({"name": "changed"})
        with self.assertRaises(AccessError):
            agreement.with_user(self.lead).action_activate()
        self.assertEqual(agreement.state, "draft")

    def test_agreement_in_force_cannot_be_deleted(self):
        agreement = self._create_agreement()
        with self.assertRaisesRegex(UserError, "archive"):
            agreement.unlink()
        draft = self._create_agreement(activate=False, code="DEL")
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_copy_many_records(self):
        agreements = self._create_agreement(activate=False, code="C1") | (
            self._create_agreement(activate=False, code="C2")
        )
        copies = agreements.copy()
        self.assertEqual(len(copies), 2)
        self.assertEqual(copies.mapped("state"), ["draft", "draft"])
        self.assertEqual(len(copies.service_level_ids), 6)
