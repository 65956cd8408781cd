"""From 19.0.1.8.0: level 3 (major problems) runs on the shipped
round-the-clock calendar (7×24) by default. The templates' level 3 still on
office hours — no calendar of its own, its template's working hours or a
company's standard working hours — moves to it, the company defaults
included (they are templates). Agreements themselves keep the working time
they were signed or prepared with: the terms of a contract do not change
without its parties; a manager changes the working time of a level on the
agreement when both sides agree (a supplement). Clocks already running keep
their calendar; the next level a ticket enters plans on the new one.

The escalation and satisfaction e-mails (``noupdate`` templates) write their
deadlines in their recipient's time zone (the company's when they set none),
without seconds, as new databases have them.

Run at the end of the update (``end-``), when the calendar of
data/resource_calendar_data.xml exists."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

ROUND_THE_CLOCK = "helpdesk_service_agreement.resource_calendar_round_the_clock"
ESCALATION_MAIL = "helpdesk_service_agreement.mail_template_helpdesk_ticket_escalation"
DEADLINES = ("response_deadline", "resolution_deadline", "next_update_deadline")
SATISFACTION_MAILS = (
    "helpdesk_service_agreement.mail_template_service_satisfaction_invitation",
    "helpdesk_service_agreement.mail_template_service_satisfaction_reminder",
)
SATISFACTION_TZ = (
    "tz=object.signer_partner_id.tz or 'UTC', dt_format='medium'",
    (
        "tz=object.signer_partner_id.tz or object.company_id.resource_calendar_id.tz "
        "or object.company_id.partner_id.tz or 'UTC', dt_format='short'"
    ),
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    _round_the_clock_level_3(env)
    _escalation_mail_in_reader_tz(env)


def _round_the_clock_level_3(env):
    round_the_clock = env.ref(ROUND_THE_CLOCK, raise_if_not_found=False)
    if not round_the_clock:
        return
    office_hours = (
        env["res.company"]
        .with_context(active_test=False)
        .search([])
        .resource_calendar_id
    )
    levels = (
        env["agreement.service.level"]
        .with_context(active_test=False)
        .search([("level", "=", "3"), ("agreement_id.is_template", "=", True)])
    )
    levels.filtered(
        lambda level: (
            not level.calendar_id
            or level.calendar_id == level.agreement_id.resource_calendar_id
            or level.calendar_id in office_hours
        )
    ).calendar_id = round_the_clock


def _escalation_mail_in_reader_tz(env):
    replacements = [
        (
            ESCALATION_MAIL,
            f"format_datetime(object.ticket_id.{fname})",
            (
                f"format_datetime(object.ticket_id.{fname}, tz=ctx.get('tz'), "
                "dt_format='short')"
            ),
        )
        for fname in DEADLINES
    ] + [(xmlid, *SATISFACTION_TZ) for xmlid in SATISFACTION_MAILS]
    env.flush_all()
    for xmlid, old, new in replacements:
        template = env.ref(xmlid, raise_if_not_found=False)
        if not template:
            continue
        # every language of the translated body at once
        env.cr.execute(
            SQL(
                "UPDATE mail_template SET body_html = "
                "replace(body_html::text, %s, %s)::jsonb WHERE id = %s",
                old,
                new,
                template.id,
            )
        )
    env["mail.template"].invalidate_model(["body_html"])
