# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ServiceCommon

SECRET = "Fee agreed with Alpha only."


@tagged("post_install", "-at_install")
class TestTemplateRead(ServiceCommon):
    """Preparing an agreement reads a template's terms, and nothing else:
    not a signed agreement's, not another company's template."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signed = cls._create_agreement(payment_terms=SECRET)
        cls.company_b = cls.env["res.company"].create({"name": "HSA Template Co B"})
        cls.template_b = cls.env["agreement"].create(
            {
                "name": "Company B template",
                "code": "TPL-B",
                "is_template": True,
                "company_id": cls.company_b.id,
                "resource_calendar_id": cls.company_b.resource_calendar_id.id,
                "payment_terms": SECRET,
            }
        )

    def _prepare(self, template):
        Agreement = self.env["agreement"].with_user(self.manager)
        return Agreement.create(
            {
                "name": "Prepared",
                "code": f"PREP-{template.id}",
                "partner_id": self.customer.id,
                "template_id": template.id,
            }
        )

    def test_signed_agreement_is_no_template(self):
        with self.assertRaises(UserError):
            self._prepare(self.signed)
        with self.assertRaises(UserError):
            self.signed.with_user(self.manager)._get_template_values()

    def test_other_company_template_refused(self):
        with self.assertRaises(UserError):
            self._prepare(self.template_b)
        with self.assertRaises(UserError):
            self.template_b.with_user(self.manager)._get_template_values()

    def test_onchange_reads_the_company_template(self):
        template = self.env.ref("helpdesk_service_agreement.agreement_template_default")
        with Form(self.env["agreement"].with_user(self.manager)) as form:
            form.name = "From the template"
            form.code = "FORM-1"
            form.partner_id = self.customer
            form.template_id = template
            self.assertTrue(form.service_level_ids)
