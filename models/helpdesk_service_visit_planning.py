# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The scheduled action of the communication plan: each customer's follow-up
# visit once per period of its tier, its care occasions once a year, each
# with a to-do for the account owner; visits past their due date flagged
# late. Batches of customers, a fixed number of queries per batch.
import logging
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .helpdesk_service_visit import SYSTEM_FIELDS, VISIT_ACTIVITY
from .system_fields import system_write

_logger = logging.getLogger(__name__)
# context key: the owners of the visits being planned follow them already
OWNERS_SUBSCRIBED = "service_visit_owners_subscribed"


class HelpdeskServiceVisit(models.Model):
    _inherit = "helpdesk.service.visit"

    @api.model
    def _cron_plan_visits(self, batch_size=500):
        """Plan what the communication plans make due today, then flag the
        visits missed."""
        today = fields.Date.context_today(self)
        policies = self.env["helpdesk.service.contact.policy"].search(
            [("company_id", "!=", False)]
        )
        for policy in policies:
            start, end = policy._period(today)
            if not self._plan_batches(
                self._customers_domain(policy)
                & self._without(policy.company_id, "visit", start),
                batch_size,
                lambda partners, p=policy, s=start, e=end: self._visit_values(
                    p, partners, s, e
                ),
            ):
                return
            if not self._plan_care(policy, today, batch_size):
                return
        self._flag_late(today, batch_size)

    # ------------------------------------------------------------------
    # What is due
    # ------------------------------------------------------------------

    @api.model
    def _customers_domain(self, policy):
        """The customers of ``policy``: the company's (or shared) commercial
        partners of its tier."""
        return (
            Domain("customer_tier", "=", policy.tier)
            & Domain("parent_id", "=", False)
            & Domain("company_id", "in", [policy.company_id.id, False])
        )

    @api.model
    def _without(self, company, kind, period_start, **occasion):
        """Partners that have no record yet of ``kind`` for the period (and
        the occasion) in ``company``: never twice, whatever the runs."""
        domain = (
            Domain("company_id", "=", company.id)
            & Domain("kind", "=", kind)
            & Domain("period_start", "=", period_start)
        )
        for fname, value in occasion.items():
            domain &= Domain(fname, "=", value)
        return Domain("service_visit_ids", "not any", domain)

    @api.model
    def _plan_care(self, policy, today, batch_size):
        window = [today + timedelta(days=n) for n in range(policy.care_notice_days + 1)]
        if policy.care_festival:
            occasions = self.env["helpdesk.service.care.occasion"].search(
                [("company_id", "=", policy.company_id.id)]
            )
            for occasion in occasions:
                day = next((d for d in window if occasion._date_in(d.year) == d), None)
                if not day:
                    continue
                if not self._plan_batches(
                    self._customers_domain(policy)
                    & self._without(
                        policy.company_id, "care", day, festival_id=occasion.id
                    ),
                    batch_size,
                    lambda partners, p=policy, o=occasion, d=day: self._care_values(
                        p, partners, d, festival=o
                    ),
                ):
                    return False
        if policy.care_birthday:
            for day in window:
                born = (
                    Domain("birthday.month_number", "=", day.month)
                    & Domain("birthday.day_of_month", "=", day.day)
                    # a contact of a customer of the tier, or the customer
                    & Domain("customer_tier", "=", policy.tier)
                    & Domain("company_id", "in", [policy.company_id.id, False])
                    & Domain(
                        "service_birthday_care_ids",
                        "not any",
                        Domain("company_id", "=", policy.company_id.id)
                        & Domain("period_start", "=", day),
                    )
                )
                if not self._plan_batches(
                    born,
                    batch_size,
                    lambda contacts, p=policy, d=day: self._care_values(
                        p, contacts.commercial_partner_id, d, contacts=contacts
                    ),
                ):
                    return False
        return True

    # ------------------------------------------------------------------
    # Planning in batches
    # ------------------------------------------------------------------

    @api.model
    def _plan_batches(self, domain, batch_size, make_values):
        """Create the records ``make_values(partners)`` returns for the
        partners of ``domain``, batch after batch; False when the scheduler's
        time is up."""
        Partner = self.env["res.partner"].with_context(active_test=True)
        Cron = self.env["ir.cron"]
        # the environments the batches work in, kept for the whole run (Odoo
        # reuses a live one): no batch reads the user's company again
        _environments = (
            self.with_context(tracking_disable=True),
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True, **{OWNERS_SUBSCRIBED: True}
            ),
            self.sudo(),
        )
        while True:
            # each batch reads what it needs afresh (after the previous
            # batch's commit): its queries do not depend on what the
            # previous batches left in the cache
            self.env.invalidate_all()
            partners = Partner.search(domain, limit=batch_size, order="id")
            if not partners:
                return True
            created = self._create_planned(make_values(partners))
            if not created:
                # another run planned them in the meantime: its commit ends ours
                return True
            if not Cron._commit_progress(
                len(partners), remaining=Partner.search_count(domain)
            ):
                return False

    @api.model
    def _create_planned(self, vals_list):
        """Create the planned records and their to-dos; a record another run
        created meanwhile (the unique index) is skipped, not doubled."""
        try:
            with self.env.cr.savepoint(), system_write(*SYSTEM_FIELDS):
                # no chatter per record (creation message, tracking, owner
                # subscribed and notified one by one): the owners follow
                # their visits and get their to-dos below, in one batch
                visits = (
                    self.with_context(tracking_disable=True)
                    .create(vals_list)
                    .with_env(self.env)
                )
        except psycopg2.errors.UniqueViolation:
            _logger.info("Visits planned by a concurrent run: skipping the batch")
            return self.browse()
        visits._subscribe_owners()
        visits._schedule_todo()
        return visits

    def _subscribe_owners(self):
        """Each owner follows their visits: one insert for the batch,
        whatever the number of owners."""
        subtype_ids = self.env["mail.message.subtype"]._default_subtypes(self._name)[0]
        self.env["mail.followers"].sudo().create(
            [
                {
                    "res_model": self._name,
                    "res_id": visit.id,
                    "partner_id": visit.user_id.partner_id.id,
                    "subtype_ids": [Command.set(subtype_ids)],
                }
                for visit in self
                if visit.user_id.partner_id
            ]
        )

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if self.env.context.get(OWNERS_SUBSCRIBED):
            # the planner made the owners followers already (the to-dos'
            # creation would subscribe them again, one query per owner)
            return True
        return super().message_subscribe(partner_ids, subtype_ids)

    def _schedule_todo(self):
        """The owners' to-dos, in one batch: shown in their activities, no
        e-mail per to-do."""
        activity_type = self.env.ref(VISIT_ACTIVITY)
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].with_context(
            mail_activity_quick_update=True, **{OWNERS_SUBSCRIBED: True}
        ).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "res_model_id": model_id,
                    "res_id": visit.id,
                    "user_id": visit.user_id.id,
                    "date_deadline": visit.date_due,
                    "summary": visit.with_context(lang=visit.user_id.lang).display_name,
                }
                for visit in self
                if visit.user_id
            ]
        )

    @api.model
    def _owners(self, customers):
        """``{customer: (team, owner)}``: the team serving each customer (its
        service team, else the team of its latest ticket) and the account
        owner (its salesperson, else that team's leader); one query whatever
        the customers."""
        env = self.env
        env["res.partner"].flush_model(["service_team_id", "user_id"])
        env["helpdesk.ticket"].flush_model(["commercial_partner_id", "team_id"])
        env["helpdesk.ticket.team"].flush_model(["user_id"])
        env["res.users"].flush_model(["share", "active"])
        rows = env.execute_query(
            SQL(
                """
                SELECT p.id, team.id,
                       CASE WHEN seller.active AND NOT seller.share
                            THEN seller.id ELSE team.user_id END
                  FROM res_partner p
                  LEFT JOIN LATERAL (
                        SELECT t.team_id
                          FROM helpdesk_ticket t
                         WHERE t.commercial_partner_id = p.id
                           AND t.team_id IS NOT NULL AND t.active
                         ORDER BY t.id DESC
                         LIMIT 1
                  ) latest ON p.service_team_id IS NULL
                  LEFT JOIN helpdesk_ticket_team team
                         ON team.id = COALESCE(p.service_team_id, latest.team_id)
                  LEFT JOIN res_users seller ON seller.id = p.user_id
                 WHERE p.id = ANY(%s)
                """,
                customers.ids,
            )
        )
        Team, User = env["helpdesk.ticket.team"], env["res.users"]
        found = {pid: (Team.browse(tid), User.browse(uid)) for pid, tid, uid in rows}
        return {customer: found[customer.id] for customer in customers}

    @api.model
    def _visit_values(self, policy, customers, start, end):
        owners = self._owners(customers)
        return [
            {
                "kind": "visit",
                "partner_id": customer.id,
                "company_id": policy.company_id.id,
                "tier": policy.tier,
                "team_id": owners[customer][0].id,
                "user_id": owners[customer][1].id,
                "channel": policy.channel,
                "period_start": start,
                "period_end": end,
                "date_due": end,
            }
            for customer in customers
        ]

    @api.model
    def _care_values(self, policy, customers, day, festival=None, contacts=None):
        owners = self._owners(customers)
        common = {
            "kind": "care",
            "company_id": policy.company_id.id,
            "tier": policy.tier,
            "channel": "phone",
            "period_start": day,
            "date_due": day,
        }
        if festival:
            return [
                dict(
                    common,
                    care_type="festival",
                    festival_id=festival.id,
                    partner_id=customer.id,
                    team_id=owners[customer][0].id,
                    user_id=owners[customer][1].id,
                )
                for customer in customers
            ]
        return [
            dict(
                common,
                care_type="birthday",
                birthday_partner_id=contact.id,
                contact_id=contact.id,
                partner_id=contact.commercial_partner_id.id,
                team_id=owners[contact.commercial_partner_id][0].id,
                user_id=owners[contact.commercial_partner_id][1].id,
            )
            for contact in contacts
        ]

    @api.model
    def _flag_late(self, today, batch_size):
        """Visits and care not done by their due date are late."""
        domain = Domain("state", "=", "planned") & Domain("date_due", "<", today)
        Cron = self.env["ir.cron"]
        while True:
            self.env.invalidate_all()
            visits = self.search(domain, limit=batch_size)
            if not visits:
                return True
            with system_write("state"):
                visits.write({"state": "late"})
            if not Cron._commit_progress(
                len(visits), remaining=self.search_count(domain)
            ):
                return False
