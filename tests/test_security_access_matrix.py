# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may read (r), write (w), create (c) and delete (u) every model the addon
defines or extends, per role: the access rights as they stand, compared with
the table below. A new model of the addon without its row fails, as does any
change of rights that the table does not say."""

from odoo.tests import new_test_user, tagged

from .common import MODULE, ServiceCommon

ROLES = ("public", "portal", "employee", "agent", "lead", "manager", "archivist")

# model: rights of each role, in the order of ROLES
MATRIX = {
    # public portal employee agent lead manager archivist
    "agreement": "---- r--- ---- r--- r--- rwcu r---",
    "agreement.renewal.wizard": "---- ---- ---- ---- ---- rwc- ----",
    # the credit schedule is a commercial term, as the fee: managers only
    "agreement.service.credit.line": "---- ---- ---- ---- ---- rwcu ----",
    "agreement.service.level": "---- ---- ---- r--- r--- rwcu r---",
    "agreement.termination.wizard": "---- ---- ---- ---- ---- rwc- ----",
    "agreement.third.party": "---- ---- ---- r--- r--- rwcu r---",
    # OCA document_page's rights: agents and leads edit the knowledge base,
    # managers also delete, archivists read
    "document.page": "---- ---- ---- rwc- rwc- rwcu r---",
    "helpdesk.service.acceptance": "---- r--- ---- rwc- rwc- rwcu r---",
    "helpdesk.service.acceptance.line": "---- r--- ---- rwcu rwcu rwcu r---",
    "helpdesk.service.acceptance.override.wizard": "---- ---- ---- ---- ---- rwc- ----",
    "helpdesk.service.acceptance.paper.wizard": "---- ---- ---- rwc- rwc- rwc- ----",
    "helpdesk.service.plan": "---- r--- ---- rwc- rwc- rwcu r---",
    "helpdesk.service.plan.deliverable": "---- r--- ---- rwcu rwcu rwcu r---",
    "helpdesk.service.plan.milestone": "---- r--- ---- rwcu rwcu rwcu r---",
    "helpdesk.service.plan.paper.wizard": "---- ---- ---- rwc- rwc- rwc- ----",
    # written by the scheduled action only; customers read the sent ones
    "helpdesk.service.plan.progress": "---- r--- ---- r--- r--- r--- r---",
    # recorded by team leads and managers; never by the customer
    "helpdesk.service.plan.quality.check": "---- ---- ---- r--- rwc- rwcu r---",
    # agents organise the meetings of their teams (leads and managers delete
    # a draft); customers read the approved minutes of their company
    "helpdesk.service.meeting": "---- r--- ---- rwc- rwcu rwcu r---",
    "helpdesk.service.meeting.action": "---- r--- ---- rwcu rwcu rwcu r---",
    # filing is server code: nobody writes the archive
    "helpdesk.service.archive": "---- ---- ---- r--- r--- r--- r---",
    "helpdesk.service.archive.document": "---- r--- ---- r--- r--- r--- r---",
    "helpdesk.service.archive.request": "---- ---- ---- ---- ---- r--- r---",
    "helpdesk.service.summary": "---- ---- ---- ---- rwc- rwcu r---",
    # a view over the summaries' figures: read with the summary
    "helpdesk.service.summary.figure": "---- ---- ---- ---- r--- r--- r---",
    "helpdesk.service.satisfaction": "---- ---- ---- r--- r--- r--- r---",
    # the team itself (issue 23): a member reads their own appraisal and
    # training (record rules), leads record them, managers approve
    "helpdesk.service.appraisal": "---- ---- ---- r--- rwc- rwcu ----",
    "helpdesk.service.training": "---- ---- ---- r--- rwc- rwcu ----",
    "helpdesk.service.training.line": "---- ---- ---- r--- rwcu rwcu ----",
    # communication plan (issue 22): the tier settings and festivals are the
    # managers'; the serving team records its visits (record rules)
    "helpdesk.service.care.occasion": "---- ---- ---- r--- r--- rwcu ----",
    "helpdesk.service.contact.policy": "---- ---- ---- r--- r--- rwcu ----",
    "helpdesk.service.communication": "---- ---- ---- r--- r--- r--- ----",
    "helpdesk.service.visit": "---- ---- ---- rw-- rw-- rwcu ----",
    "helpdesk.service.visit.record.wizard": "---- ---- ---- rwc- rwc- rwc- ----",
    # the manager's dashboard (leads see their teams' figures)
    "helpdesk.service.dashboard": "---- ---- ---- ---- rwcu rwcu ----",
    "helpdesk.service.dashboard.tile": "---- ---- ---- ---- rwcu rwcu ----",
    # a hand-over is the managers' and, filed, the archivists'; final
    "helpdesk.service.handover": "---- ---- ---- ---- ---- r--- r---",
    "helpdesk.service.handover.line": "---- ---- ---- ---- ---- r--- r---",
    "helpdesk.service.handover.wizard": "---- ---- ---- ---- ---- rwcu ----",
    "helpdesk.service.handover.wizard.line": "---- ---- ---- ---- ---- rwcu ----",
    # extended for the training history; Odoo's own rights
    "res.users": "r--- r--- r--- r--- r--- r--- r---",
    # customer health: written by its computation only
    "helpdesk.service.customer.health": "---- ---- ---- r--- r--- r--- r---",
    # drafted by the scheduled action, approved and sent by managers; the
    # customer reads the sent ones
    "helpdesk.service.sla.statement": "---- r--- ---- ---- r--- rwcu r---",
    # written by the statement's computation only
    "helpdesk.service.sla.statement.line": "---- r--- ---- ---- r--- r--- r---",
    "helpdesk.service.sla.statement.pause": "---- r--- ---- ---- r--- r--- r---",
    "helpdesk.sla.report": "---- ---- ---- ---- r--- r--- r---",
    "helpdesk.ticket": "---- r--- r--- rwc- rwc- rwcu rwc-",
    "helpdesk.ticket.escalation": "---- ---- ---- r--- r--- r--- r---",
    "helpdesk.ticket.escalation.wizard": "---- ---- ---- rwc- rwc- rwc- ----",
    "helpdesk.ticket.postmortem": "---- ---- ---- rwc- rwc- rwcu r---",
    "helpdesk.ticket.routing": "---- ---- ---- r--- r--- rwcu ----",
    "helpdesk.ticket.sla.pause": "---- ---- ---- r--- r--- r--- r---",
    "helpdesk.ticket.sla.phase": "---- ---- ---- r--- r--- r--- r---",
    # helpdesk_mgmt lets the public group write stages: withdrawn here
    "helpdesk.ticket.stage": "r--- r--- r--- r--- r--- rwcu r---",
    "helpdesk.ticket.team": "---- r--- r--- r--- r--- rwcu r---",
    "helpdesk.ticket.transfer": "---- ---- ---- r--- r--- r--u r---",
    "helpdesk.ticket.transfer.wizard": "---- ---- ---- rwc- rwc- rwc- rwc-",
    "project.task.quality.gate.wizard": "---- ---- ---- ---- rwc- rwc- ----",
    "res.company": "r--- r--- r--- r--- r--- r--- r---",
    "res.config.settings": "---- ---- ---- ---- ---- ---- ----",
    "res.partner": "r--- r--- r--- rwcu rwcu rwcu r---",
    # Odoo's own rights; the files of filed documents refuse every change
    # (tests/test_archive.py)
    "ir.attachment": "---- ---- rwcu rwcu rwcu rwcu rwcu",
    "ir.module.module": "---- ---- r--- r--- r--- r--- r---",
    # mail's own rights: tracked values are read through their messages
    "mail.tracking.value": "---- ---- ---- ---- ---- ---- ----",
    # survey's own rights: its users (none of the roles) answer and read
    "survey.question": "---- ---- ---- ---- ---- ---- ----",
    "survey.user_input": "---- ---- ---- ---- ---- ---- ----",
    # Odoo project's own rights (agents are project users); the customer's
    # project is created by the confirmation's server code
    "project.project": "---- r--- r--- r--- r--- r--- r---",
    "project.task": "---- r--- rwcu rwcu rwcu rwcu rwcu",
    "resource.calendar": "---- ---- r--- r--- r--- r--- r---",
}
# fmt: on


@tagged("post_install", "-at_install")
class TestAccessMatrix(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal": new_test_user(
                cls.env, login="hsa_matrix_portal", groups="base.group_portal"
            ),
            "employee": new_test_user(
                cls.env, login="hsa_matrix_employee", groups="base.group_user"
            ),
            "agent": cls.agent,
            "lead": cls.lead,
            "manager": cls.manager,
            "archivist": cls.archivist,
        }

    def _addon_models(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        return sorted(
            model.model for model in models if not self.env[model.model]._abstract
        )

    def _rights(self, model, user):
        Access = self.env["ir.model.access"].with_user(user)
        return "".join(
            letter if Access.check(model, operation, raise_exception=False) else "-"
            for letter, operation in (
                ("r", "read"),
                ("w", "write"),
                ("c", "create"),
                ("u", "unlink"),
            )
        )

    def test_every_model_every_role(self):
        actual = {
            model: tuple(self._rights(model, self.users[role]) for role in ROLES)
            for model in self._addon_models()
        }
        table = "\n".join(
            f"    {model!r}: {' '.join(rights)!r}," for model, rights in actual.items()
        )
        self.assertEqual(
            set(actual),
            set(MATRIX),
            f"models without a row (or rows without a model); the rights now:\n{table}",
        )
        for model, rights in actual.items():
            with self.subTest(model=model):
                self.assertEqual(
                    dict(zip(ROLES, rights, strict=True)),
                    dict(zip(ROLES, MATRIX[model].split(), strict=True)),
                )
