# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# An action item of a meeting's minutes: what is to be done, by whom, by
# when. Once the minutes are approved it becomes a to-do of its owner and is
# as final as the minutes.
from odoo import api, fields, models
from odoo.exceptions import UserError

from .system_fields import check_system_fields, is_system_write, system_write

ACTION_SYSTEM_FIELDS = frozenset({"activity_id"})


class HelpdeskServiceMeetingAction(models.Model):
    _name = "helpdesk.service.meeting.action"
    _description = "Meeting Action Item"
    _order = "meeting_id, sequence, id"
    _rec_name = "description"
    _check_company_auto = True

    meeting_id = fields.Many2one(
        comodel_name="helpdesk.service.meeting",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="meeting_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    description = fields.Char(required=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        required=True,
        domain=[("share", "=", False)],
    )
    date_deadline = fields.Date(string="Due Date", required=True)
    activity_id = fields.Many2one(
        comodel_name="mail.activity",
        string="To-Do",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    # ------------------------------------------------------------------
    # CRUD: the items of approved minutes are final, for everyone
    # ------------------------------------------------------------------

    def _check_not_final(self, meetings):
        final = meetings._evidence_final()
        if final:
            raise UserError(
                self.env._(
                    "The minutes of %(meeting)s are approved and final: their "
                    "action items do not change.",
                    meeting=final[:1].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, ACTION_SYSTEM_FIELDS)
        self._check_not_final(
            self.env["helpdesk.service.meeting"].browse(
                {vals.get("meeting_id") for vals in vals_list if vals.get("meeting_id")}
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], ACTION_SYSTEM_FIELDS)
        if any(not is_system_write(fname) for fname in vals):
            self._check_not_final(self.meeting_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_final(self):
        self._check_not_final(self.meeting_id)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _schedule_todos(self):
        """A to-do on the meeting for each item's owner, due on its date,
        once (an item with its to-do keeps it)."""
        for item in self.filtered(lambda item: not item.activity_id):
            meeting = item.meeting_id
            env = item.with_context(lang=item.user_id.lang or self.env.lang).env
            activity = meeting.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=item.date_deadline,
                user_id=item.user_id.id,
                summary=item.description[:100],
                note=env._(
                    "Action item of the minutes %(meeting)s: %(item)s",
                    meeting=meeting.display_name,
                    item=item.description,
                ),
            )
            with system_write("activity_id"):
                item.sudo().write({"activity_id": activity.id})
