# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The hand-over of a departing colleague (离职交接, seed 004 §7.2): everything
# they own moves to successors in one transaction, with a note on each record;
# their access to customer data goes; a hand-over record is filed.
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain

from odoo.addons.helpdesk_service_agreement.models.helpdesk_service_handover import (
    HANDOVER_ACCESS,
    HANDOVER_REASONS,
    HANDOVER_SYSTEM_FIELDS,
)
from odoo.addons.helpdesk_service_agreement.models.helpdesk_service_handover_scope import (  # noqa: E501
    handover_models,
    owned_rules,
)
from odoo.addons.helpdesk_service_agreement.models.system_fields import system_write

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
# the groups that open customer data: removed when access is withdrawn
ACCESS_MODULES = ("helpdesk_service_agreement", "helpdesk_mgmt", "agreement")
ACTIVITIES = "mail.activity"
FOLLOWERS = "mail.followers"


class HelpdeskServiceHandoverWizard(models.TransientModel):
    _name = "helpdesk.service.handover.wizard"
    _description = "Hand Over a Departing Colleague's Work"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Departing User",
        required=True,
        domain=[("share", "=", False)],
    )
    reason = fields.Selection(
        selection=HANDOVER_REASONS, required=True, default="leave"
    )
    access = fields.Selection(
        selection=HANDOVER_ACCESS,
        string="Access to Customer Data",
        required=True,
        compute="_compute_access",
        store=True,
        readonly=False,
    )
    default_successor_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_default_successor_id",
        store=True,
        readonly=False,
        domain=[("share", "=", False)],
        help="Takes what no line names: the lead of the user's team by default.",
    )
    note = fields.Text()
    line_ids = fields.One2many(
        comodel_name="helpdesk.service.handover.wizard.line",
        inverse_name="wizard_id",
        string="What the User Owns",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("reason")
    def _compute_access(self):
        for wizard in self:
            wizard.access = "keep" if wizard.reason == "team_change" else "groups"

    @api.depends("user_id")
    def _compute_default_successor_id(self):
        for wizard in self:
            wizard.default_successor_id = wizard._proposed_successor()

    @api.depends("user_id", "default_successor_id")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            if wizard.user_id:
                successor = wizard.default_successor_id or wizard._proposed_successor()
                for sequence, move in enumerate(wizard._moves()):
                    if move["records"]:
                        commands.append(
                            Command.create(
                                {
                                    "sequence": sequence,
                                    "key": move["key"],
                                    "name": move["label"],
                                    "count": len(move["records"]),
                                    "successor_id": successor.id,
                                }
                            )
                        )
            wizard.line_ids = commands

    # ------------------------------------------------------------------
    # What the user owns
    # ------------------------------------------------------------------

    def _proposed_successor(self):
        """The lead of the user's team, else the manager handing over."""
        self.ensure_one()
        if not self.user_id:
            return self.env["res.users"]
        # the manager's right was checked (the wizard is theirs): the teams
        # of any company the user worked in
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search([("user_ids", "in", self.user_id.ids)])
        )
        leads = teams.user_id.filtered(lambda lead: lead.active) - self.user_id
        return leads[:1] or self.env.user

    def _moves(self):
        """What the user owns, by kind: ``[{key, label, records, model,
        field}]``, searched now (as superuser: the manager's right is
        checked before anything moves)."""
        self.ensure_one()
        user = self.user_id
        env = self.sudo().with_context(active_test=False).env
        rules, unknown = owned_rules(env)
        if unknown:
            raise UserError(
                self.env._(
                    "The hand-over does not know what these user fields mean "
                    "(owned work or history): %(fields)s.",
                    fields=", ".join(unknown),
                )
            )
        moves = []
        for model, fname, open_domain in rules:
            Model = env[model]
            field = Model._fields[fname]
            records = Model.search(Domain(fname, "in", user.ids) & open_domain)
            moves.append(
                {
                    "key": f"{model}:{fname}",
                    "label": self.env._(
                        "%(model)s: %(field)s",
                        model=self.env["ir.model"]._get(model).name,
                        field=field._description_string(self.env),
                    ),
                    "records": records,
                    "model": model,
                    "field": fname,
                }
            )
        moves.append(
            {
                "key": ACTIVITIES,
                "label": self.env._("To-dos"),
                "records": self.env[ACTIVITIES]
                .sudo()
                .search([("user_id", "=", user.id)]),
                "model": ACTIVITIES,
                "field": "user_id",
            }
        )
        moves.append(
            {
                "key": FOLLOWERS,
                "label": self.env._("Followed Records"),
                "records": self.env[FOLLOWERS]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", user.partner_id.id),
                        ("res_model", "in", handover_models(env)),
                    ]
                ),
                "model": FOLLOWERS,
                "field": "partner_id",
            }
        )
        return moves

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only customer service managers hand over a user's work.")
            )

    def _check_users(self):
        self.ensure_one()
        user = self.user_id
        if user == self.env.user:
            raise UserError(self.env._("You cannot hand over your own work."))
        if user._is_admin() and not self.env.user._is_admin():
            raise UserError(
                self.env._("Only an administrator hands over an administrator's work.")
            )
        successors = self.line_ids.successor_id | self.default_successor_id
        if user in successors:
            raise UserError(
                self.env._("The departing user cannot be their own successor.")
            )
        wrong = successors.filtered(lambda successor: successor.share)
        if wrong or not all(successors.mapped("active")):
            raise UserError(
                self.env._("Successors are active members of the staff, not customers.")
            )

    # ------------------------------------------------------------------
    # Hand-over
    # ------------------------------------------------------------------

    def action_hand_over(self):
        """Move everything, withdraw the access, file the record: all or
        nothing (a failure rolls back to before the hand-over)."""
        self.ensure_one()
        self._check_manager()
        self._check_users()
        with self.env.cr.savepoint():
            handover = self._hand_over()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_handover_action"
        )
        action.update({"res_id": handover.id, "view_mode": "form", "views": False})
        return action

    def _hand_over(self):
        user = self.user_id
        successors = {line.key: line.successor_id for line in self.line_ids}
        default = self.default_successor_id or self._proposed_successor()
        # the manager's right was checked: the records of the whole team
        with system_write(*HANDOVER_SYSTEM_FIELDS):
            handover = (
                self.env["helpdesk.service.handover"]
                .sudo()
                .create(
                    {
                        "user_id": user.id,
                        "manager_id": self.env.uid,
                        "reason": self.reason,
                        "access": self.access,
                        "note": self.note,
                        "state": "done",
                    }
                )
            )
        lines = []
        # moved one kind after the other, each searched afresh: moving a
        # ticket closes its SLA phase and opens the successor's
        for move in self._moves():
            successor = successors.get(move["key"]) or default
            records = move["records"]
            if not records:
                continue
            lines += self._line_values(move, successor)
            if move["model"] == FOLLOWERS:
                self._move_followers(records, successor)
                continue
            self._move_records(move, successor, handover)
        self._withdraw_access()
        with system_write(*HANDOVER_SYSTEM_FIELDS):
            handover.write({"line_ids": [Command.create(vals) for vals in lines]})
        handover._file_in_archive()
        return handover.with_env(self.env)

    def _line_values(self, move, successor):
        user = self.user_id
        if move["model"] == FOLLOWERS:
            targets = [
                (follower.res_model, follower.res_id) for follower in move["records"]
            ]
        elif move["model"] == ACTIVITIES:
            targets = [
                (activity.res_model or ACTIVITIES, activity.res_id or activity.id)
                for activity in move["records"]
            ]
        else:
            targets = [(record._name, record.id) for record in move["records"]]
        names = {}
        for model, res_id in targets:
            names.setdefault(model, set()).add(res_id)
        for model, ids in names.items():
            records = self.env[model].sudo().browse(ids).exists()
            names[model] = {record.id: record.display_name for record in records}
        return [
            {
                "res_model": model,
                "model_name": self.env["ir.model"]._get(model).name,
                "res_id": res_id,
                "record_name": names[model].get(res_id, ""),
                "role": move["label"],
                "user_id": user.id,
                "successor_id": successor.id,
            }
            for model, res_id in targets
        ]

    def _move_records(self, move, successor, handover):
        user = self.user_id
        records = move["records"]
        fname = move["field"]
        if records._fields[fname].type == "many2many":
            value = [Command.unlink(user.id), Command.link(successor.id)]
        else:
            value = successor.id
        # a deliverable's owner is bookkeeping of its plan (_check_editable)
        with system_write("deliverable_ids"):
            records.write({fname: value})
        if not isinstance(records, self.env.registry["mail.thread"]):
            return
        body = self.env._(
            "Hand-over %(number)s: %(role)s moved from %(user)s to %(successor)s.",
            number=handover.name,
            role=records._fields[fname]._description_string(self.env),
            user=user.name,
            successor=successor.name,
        )
        for record in records:
            record.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _move_followers(self, followers, successor):
        user = self.user_id
        for model, group in followers.grouped("res_model").items():
            records = self.env[model].sudo().browse(group.mapped("res_id")).exists()
            records.message_subscribe(partner_ids=successor.partner_id.ids)
            records.message_unsubscribe(partner_ids=user.partner_id.ids)

    def _withdraw_access(self):
        user = self.user_id.sudo()
        if self.access == "archive":
            user.action_archive()
        elif self.access == "groups":
            groups = (
                self.env["ir.model.data"]
                .sudo()
                .search(
                    [("module", "in", ACCESS_MODULES), ("model", "=", "res.groups")]
                )
                .mapped("res_id")
            )
            removed = user.group_ids.filtered(lambda group: group.id in groups)
            commands = [Command.unlink(group.id) for group in removed]
            # still an employee (internal user), without the service's roles
            commands.append(Command.link(self.env.ref("base.group_user").id))
            user.write({"group_ids": commands})
