# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from lxml import etree
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

    def test_activation_requires_the_signature_date(self):
        agreement = self._create_agreement(activate=False, signature_date=False)
        with self.assertRaisesRegex(ValidationError, "lacks: the signature date"):
            agreement.action_activate()
        self.assertEqual(agreement.state, "draft")
        agreement.signature_date = "2025-12-20"
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")

    def test_activation_requires_an_owner_of_level_3(self):
        agreement = self._create_agreement(activate=False)
        level_3 = agreement.service_level_ids.filtered(lambda line: line.level == "3")
        self.assertEqual(level_3.owner_type, "emergency_team")
        level_3.owner_user_ids = False
        agreement.signature_date = False
        # everything missing is named at once
        with self.assertRaisesRegex(
            ValidationError,
            "the signature date, an emergency team or named owners for Level 3 - Major",
        ):
            agreement.action_activate()
        self.assertEqual(agreement.state, "draft")
        agreement.signature_date = "2025-12-20"
        level_3.owner_team_id = self.team_complaints
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")

    def test_team_lead_level_needs_no_named_owner(self):
        agreement = self._create_agreement(activate=False)
        level_2 = agreement.service_level_ids.filtered(lambda line: line.level == "2")
        self.assertEqual(level_2.owner_type, "team_lead")
        self.assertFalse(level_2.owner_user_ids)
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")


@tagged("post_install", "-at_install")
class TestAgreementNumbering(ServiceCommon):
    """Agreements left without a code are numbered from their company's
    sequence; supplements after the agreement they amend."""

    def _new(self, **vals):
        values = {"name": "Numbered", "partner_id": self.customer.id}
        values.update(vals)
        return self.env["agreement"].with_user(self.manager).create(values)

    @freeze_time("2026-03-15")
    def test_numbered_from_the_company_sequence(self):
        first, second = self._new(), self._new(name="Second")
        self.assertRegex(first.code, r"^SA2026-\d{4}$")
        self.assertEqual(int(second.code[-4:]), int(first.code[-4:]) + 1)
        # a code given by hand is kept
        self.assertEqual(self._new(code="HAND-1").code, "HAND-1")
        sequences = self.env["ir.sequence"].search(
            [("code", "=", "agreement.service"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(sequences), 1)

    @freeze_time("2026-03-15")
    def test_each_company_has_its_own_sequence(self):
        self._new()
        company_b = self.env["res.company"].create({"name": "HSA Numbering Co B"})
        self.manager.company_ids |= company_b
        agreement_b = self._new(
            company_id=company_b.id,
            resource_calendar_id=company_b.resource_calendar_id.id,
        )
        self.assertEqual(agreement_b.code, "SA2026-0001", "its own count")
        for company in self.company | company_b:
            self.assertEqual(
                self.env["ir.sequence"].search_count(
                    [
                        ("code", "=", "agreement.service"),
                        ("company_id", "=", company.id),
                    ]
                ),
                1,
                company.name,
            )

    def test_templates_numbered_apart(self):
        template = self._new(is_template=True, partner_id=False)
        self.assertRegex(template.code, r"^SAT-\d{3}$")
        from_action = (
            self.env["agreement"]
            .with_user(self.manager)
            .with_context(default_is_template=True)
            .create({"name": "From the templates menu"})
        )
        self.assertTrue(from_action.is_template)
        self.assertRegex(from_action.code, r"^SAT-\d{3}$")

    def test_supplements_take_the_agreement_number(self):
        agreement = self._new(code="SA2026-0042")
        supplements = self.env["agreement"].create(
            [
                {
                    "name": f"Supplement {i}",
                    "partner_id": self.customer.id,
                    "parent_agreement_id": agreement.id,
                }
                for i in range(2)
            ]
        )
        self.assertEqual(
            supplements.mapped("code"), ["SA2026-0042-S1", "SA2026-0042-S2"]
        )
        supplements[0].action_archive()
        third = self._new(parent_agreement_id=agreement.id)
        self.assertEqual(third.code, "SA2026-0042-S3", "archived ones count")

    def test_copy_gets_its_own_number(self):
        agreement = self._new()
        copy = agreement.copy()
        self.assertRegex(copy.code, r"^SA\d{4}-\d{4}$")
        self.assertNotEqual(copy.code, agreement.code)
        self.assertNotIn("copy", copy.code)

    def test_form_saves_without_a_code(self):
        form = Form(self.env["agreement"].with_user(self.manager))
        form.name = "Form without code"
        form.partner_id = self.customer
        agreement = form.save()
        self.assertRegex(agreement.code, r"^SA\d{4}-\d{4}$")

    def test_search_by_number(self):
        agreement = self._new(code="SA2026-0777")
        found = self.env["agreement"].name_search("0777")
        self.assertIn(agreement.id, [agreement_id for agreement_id, __ in found])


@tagged("post_install", "-at_install")
class TestAgreementDisplay(ServiceCommon):
    """What the form and the service level grid show."""

    def test_display_name_of_a_new_record(self):
        Agreement = self.env["agreement"].with_user(self.manager)
        # what the web client asks for a new record's breadcrumb
        values = Agreement.onchange({}, [], {"display_name": {}, "code": {}})["value"]
        self.assertEqual(values["display_name"], "New")
        self.assertEqual(
            Agreement.new({"name": "Draft terms"}).display_name, "Draft terms"
        )
        self.assertEqual(Agreement.new({"code": "SA-1"}).display_name, "SA-1")
        with Form(Agreement) as form:
            form.name = "Named"
            form.partner_id = self.customer
        agreement = form.record
        self.assertEqual(agreement.display_name, f"[{agreement.code}] Named")
        for record in (Agreement.new({}), Agreement.new({"name": "x"}), agreement):
            self.assertNotIn("False", record.display_name)

    def test_sale_purchase_domain_hidden(self):
        Agreement = self.env["agreement"].with_user(self.manager)
        for view_type, attribute in (
            ("form", "invisible"),
            ("list", "column_invisible"),
        ):
            arch = etree.fromstring(Agreement.get_view(view_type=view_type)["arch"])
            nodes = arch.xpath("//field[@name='domain']")
            self.assertTrue(nodes, view_type)
            for node in nodes:
                self.assertEqual(node.get(attribute), "True", view_type)
        form = etree.fromstring(Agreement.get_view(view_type="form")["arch"])
        code = form.xpath("//field[@name='code']")[0]
        self.assertEqual(code.get("required"), "False", "numbered on saving")
        search = etree.fromstring(Agreement.get_view(view_type="search")["arch"])
        for name in ("sale", "purchase", "domain_groupby"):
            self.assertEqual(
                search.xpath(f"//filter[@name='{name}']")[0].get("invisible"), "True"
            )
        scope_form = etree.fromstring(
            self.env["agreement.type"].get_view(view_type="form")["arch"]
        )
        self.assertEqual(
            scope_form.xpath("//field[@name='domain']")[0].get("invisible"), "True"
        )

    def test_service_level_grid_reads_no_target(self):
        template = self.env.ref(f"{MODULE}.agreement_template_default")
        levels = {line.level: line for line in template.service_level_ids}
        self.assertEqual(
            (levels["1"].response_display, levels["1"].resolution_display),
            ("No target", "24 h"),
        )
        self.assertEqual(levels["2"].response_display, "12 h")
        self.assertEqual(
            (levels["3"].resolution_display, levels["3"].update_display),
            ("Dedicated plan", "4 h"),
        )
        agreement = self._create_agreement(activate=False)
        level_1 = agreement.service_level_ids.filtered(lambda line: line.level == "1")
        level_1.write({"response_hours": 0.5, "resolution_hours": 1.5})
        self.assertEqual(
            (level_1.response_display, level_1.resolution_display),
            ("30 min", "1 h 30 min"),
        )
        # the grid shows these, not the hours as a clock (00:00)
        form = etree.fromstring(
            self.env["agreement"]
            .with_user(self.manager)
            .get_view(view_type="form")["arch"]
        )
        grid = form.xpath("//field[@name='service_level_ids']/list")[0]
        self.assertFalse(grid.xpath(".//field[@widget='float_time']"))
        self.assertTrue(grid.xpath(".//field[@name='response_display']"))
