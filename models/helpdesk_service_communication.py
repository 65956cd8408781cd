# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The customer relationship file (客户关系维护档案, seed 003): one timeline of
# what the service exchanged with a customer — follow-up visits, care,
# progress reports, acceptance forms, satisfaction surveys, complaints, SLA
# statements and approved meeting minutes — read from their own tables. Its
# record rules open it to the team serving the customer, that team's leader
# and the managers.
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

COMMUNICATION_KINDS = [
    ("visit", "Follow-up Visit"),
    ("care", "Customer Care"),
    ("progress", "Progress Report"),
    ("acceptance", "Acceptance Form"),
    ("satisfaction", "Satisfaction Survey"),
    ("complaint", "Complaint"),
    ("statement", "SLA Statement"),
    ("meeting", "Meeting Minutes"),
]
# (kind, model, table, date, partner, team, user, condition); the row's id
# is the source's id times 10 plus the kind's rank
SOURCES = [
    (
        "visit",
        "helpdesk.service.visit",
        "helpdesk_service_visit",
        "COALESCE(s.date_done, s.date_due)::timestamp",
        "s.partner_id",
        "s.team_id",
        "s.user_id",
        "s.kind = 'visit'",
    ),
    (
        "care",
        "helpdesk.service.visit",
        "helpdesk_service_visit",
        "COALESCE(s.date_done, s.date_due)::timestamp",
        "s.partner_id",
        "s.team_id",
        "s.user_id",
        "s.kind = 'care'",
    ),
    (
        "progress",
        "helpdesk.service.plan.progress",
        "helpdesk_service_plan_progress",
        "s.date::timestamp",
        "s.partner_id",
        "NULL::integer",
        "NULL::integer",
        "s.state = 'sent'",
    ),
    (
        "acceptance",
        "helpdesk.service.acceptance",
        "helpdesk_service_acceptance",
        "COALESCE(s.signed_on, s.create_date)",
        "s.partner_id",
        "NULL::integer",
        "s.user_id",
        "s.state != 'draft'",
    ),
    (
        "satisfaction",
        "helpdesk.service.satisfaction",
        "helpdesk_service_satisfaction",
        "COALESCE(s.date_answered, s.date_invited, s.create_date)",
        "s.partner_id",
        "s.team_id",
        "s.user_id",
        "TRUE",
    ),
    (
        "complaint",
        "helpdesk.ticket",
        "helpdesk_ticket",
        "s.create_date",
        "s.commercial_partner_id",
        "s.team_id",
        "s.user_id",
        "s.request_type = 'complaint'",
    ),
    (
        "statement",
        "helpdesk.service.sla.statement",
        "helpdesk_service_sla_statement",
        "COALESCE(s.sent_date, s.approved_date, s.date_start::timestamp)",
        "s.partner_id",
        "NULL::integer",
        "NULL::integer",
        "s.state IN ('approved', 'sent')",
    ),
    # the meetings whose minutes the organiser approved: the team of the
    # ticket, else of the plan's requests
    (
        "meeting",
        "helpdesk.service.meeting",
        "helpdesk_service_meeting",
        "s.date_start",
        "s.partner_id",
        """COALESCE(
            (SELECT t.team_id FROM helpdesk_ticket t WHERE t.id = s.ticket_id),
            (SELECT MIN(t.team_id)
               FROM helpdesk_service_plan_ticket_rel rel
               JOIN helpdesk_ticket t ON t.id = rel.ticket_id
              WHERE rel.plan_id = s.plan_id)
        )""",
        "s.organizer_id",
        "s.state = 'approved'",
    ),
]


class HelpdeskServiceCommunication(models.Model):
    _name = "helpdesk.service.communication"
    _description = "Customer Communication Record"
    _auto = False
    _order = "date desc, id desc"

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(selection=COMMUNICATION_KINDS, string="Type", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Integer(string="Document ID", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Responsible", readonly=True
    )
    summary = fields.Char(compute="_compute_summary")

    @property
    def _table_query(self) -> SQL:
        return SQL(" UNION ALL ").join(
            SQL(
                """SELECT s.id * 10 + %(rank)s AS id, %(kind)s AS kind,
                          %(model)s AS res_model, s.id AS res_id,
                          %(date)s AS date, %(partner)s AS partner_id,
                          s.company_id AS company_id, %(team)s AS team_id,
                          %(user)s AS user_id
                     FROM %(table)s s
                    WHERE %(condition)s AND %(partner)s IS NOT NULL""",
                rank=rank,
                kind=kind,
                model=model,
                date=SQL(date),
                partner=SQL(partner),
                team=SQL(team),
                user=SQL(user),
                table=SQL.identifier(table),
                condition=SQL(condition),
            )
            for rank, (kind, model, table, date, partner, team, user, condition) in (
                enumerate(SOURCES)
            )
        )

    @api.depends("res_model", "res_id")
    @api.depends_context("lang")
    def _compute_summary(self):
        by_model = {}
        for row in self:
            by_model.setdefault(row.res_model, []).append(row.res_id)
        names = {}
        for model, ids in by_model.items():
            # sudo: the document's name only, on a row the record rules of
            # the communication record let the reader see
            for record in self.env[model].sudo().browse(ids):
                names[model, record.id] = record.display_name
        for row in self:
            name = names.get((row.res_model, row.res_id), "")
            if row.res_model == "helpdesk.service.visit":
                visit = self.env[row.res_model].sudo().browse(row.res_id)
                name = " — ".join(filter(None, (name, visit.result)))
            row.summary = name

    def action_open_document(self):
        """The document of the row, in its own form: its own access rules
        apply."""
        self.ensure_one()
        if self.res_model not in {source[1] for source in SOURCES}:
            raise UserError(self.env._("This document cannot be opened here."))
        record = self.env[self.res_model].browse(self.res_id)
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }
