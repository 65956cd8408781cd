# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every menu of the addon, opened as every role: the role that needs a screen
reaches it from the menus, and opening it raises no access error; a role that
must not see it does not get the menu. A new menu without its row fails."""

from odoo.fields import Domain
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import MODULE, ServiceCommon

ROLES = ("employee", "agent", "lead", "manager", "archivist")
A, L, M, R = "agent", "lead", "manager", "archivist"

# menu xml id (without the module): the roles that see it
MENUS = {
    "agreement_service_menu": {A, L, M, R},
    "helpdesk_service_acceptance_menu": {A, L, M, R},
    "helpdesk_service_plan_menu": {A, L, M, R},
    "helpdesk_service_meeting_menu": {A, L, M, R},
    "project_task_tracking_menu": {A, L, M},
    "helpdesk_service_plan_quality_check_menu": {L, M},
    "helpdesk_service_archive_main_menu": {A, L, M, R},
    "helpdesk_service_archive_menu": {A, L, M, R},
    "helpdesk_service_archive_document_menu": {A, L, M, R},
    "helpdesk_service_archive_request_menu": {M, R},
    "helpdesk_service_knowledge_menu": {A, L, M},
    "helpdesk_ticket_complaint_menu": {A, L, M},
    "helpdesk_service_reporting_menu": {L, M, R},
    "helpdesk_service_summary_menu": {L, M, R},
    "helpdesk_service_sla_statement_menu": {L, M, R},
    "helpdesk_service_summary_dashboard_menu": {M},
    "helpdesk_service_dashboard_menu": {L, M},
    "helpdesk_ticket_sla_phase_menu": {L, M, R},
    "helpdesk_sla_report_menu": {L, M, R},
    "helpdesk_service_satisfaction_menu": {L, M, R},
    "helpdesk_ticket_escalation_menu": {L, M, R},
    "helpdesk_ticket_postmortem_menu": {L, M, R},
    "helpdesk_ticket_transfer_menu": {L, M, R},
    "helpdesk_service_config_menu": {A, L, M},
    "helpdesk_ticket_routing_menu": {A, L, M},
    # the team itself (issue 23): each member reads their own training and
    # appraisals; the team's distribution is its lead's and the managers'
    "helpdesk_service_team_menu": {A, L, M},
    "helpdesk_service_training_menu": {A, L, M},
    "helpdesk_service_training_line_menu": {A, L, M},
    "helpdesk_service_appraisal_menu": {A, L, M},
    "helpdesk_service_appraisal_distribution_menu": {L, M},
    "helpdesk_service_handover_menu": {M, R},
    "helpdesk_service_handover_wizard_menu": {M},
    # communication plan and customer health (issues 20, 22)
    "helpdesk_service_visit_menu": {A, L, M},
    "helpdesk_service_contact_policy_menu": {L, M},
    "helpdesk_service_care_occasion_menu": {L, M},
    "helpdesk_service_communication_menu": {L, M},
    "helpdesk_service_customer_health_menu": {L, M, R},
    "agreement_template_menu": {M},
    "default_service_levels_menu": {M},
}


@tagged("post_install", "-at_install")
class TestMenusPerRole(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "employee": new_test_user(
                cls.env, login="hsa_menu_employee", groups="base.group_user"
            ),
            "agent": cls.agent,
            "lead": cls.lead,
            "manager": cls.manager,
            "archivist": cls.archivist,
        }

    def _addon_menus(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.ui.menu")]
        )
        return {d.name: self.env["ir.ui.menu"].browse(d.res_id) for d in data}

    def _open(self, menu, user):
        """Open the menu's action as the user does in the web client."""
        action = menu.action
        if not action:
            return
        if action._name == "ir.actions.server":
            result = action.with_user(user).run()
            if isinstance(result, dict) and result.get("res_model"):
                record = self.env[result["res_model"]].with_user(user)
                record.browse(result.get("res_id")).read(["display_name"])
            return
        # as /web/action/load: the action read as superuser, then everything
        # else as the user
        values = action.sudo()._get_action_dict()
        Model = self.env[values["res_model"]].with_user(user)
        context = safe_eval(values.get("context") or "{}", {"uid": user.id})
        Model = Model.with_context(**context)
        views = [tuple(view) for view in values["views"]]
        search_view = values.get("search_view_id")
        views.append((search_view and search_view[0], "search"))
        result = Model.get_views(views)
        domain = Domain(safe_eval(values.get("domain") or "[]", {"uid": user.id}))
        # what the views show, as the web client reads it (relations by name)
        fields_spec = {
            name: {}
            for name in result["models"][Model._name]["fields"]
            if Model._fields[name].type not in ("one2many", "many2many")
        }
        Model.web_search_read(domain, fields_spec, limit=5)

    def test_every_menu_every_role(self):
        menus = self._addon_menus()
        self.assertEqual(
            set(menus),
            set(MENUS),
            "a menu of the addon has no row in MENUS (or a row has no menu)",
        )
        for role in ROLES:
            user = self.users[role]
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for name, menu in menus.items():
                with self.subTest(role=role, menu=name):
                    expected = role in MENUS[name]
                    self.assertEqual(menu.id in visible, expected)
                    if expected:
                        self._open(menu, user)
