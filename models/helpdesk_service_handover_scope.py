# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a departing colleague owns (离职交接): every stored many2one or
many2many to ``res.users`` of every model of the addon, with what it means.

A user field is either **owned** work, moved to a successor on the records
that are still open (the value is the domain of the open records), or
**history** (who did, approved, filed, was complained about or notified):
the record of what happened, never rewritten (the value is ``HISTORY``).

The fields are found by introspection (``user_fields``), so a new model of
the addon with a user field is handled by the hand-over only once it says
what its field means, and tests/test_handover.py fails until it does. A
model says it either in ``HANDOVER_FIELDS`` below or with a method of its
own, which wins::

    def _handover_fields(self):
        return {"user_id": Domain("state", "in", ("draft", "planned")),
                "attendee_ids": HISTORY}
"""

from odoo.fields import Domain

MODULE = "helpdesk_service_agreement"
# shared models the hand-over covers beside the addon's own
EXTRA_MODELS = ("helpdesk.ticket", "project.task")
# a user field that records what happened: never moved
HISTORY = "history"

_TICKET_OPEN = Domain("stage_id.closed", "=", False)
_PLAN_OPEN = Domain("state", "not in", ("confirmed", "cancelled"))

HANDOVER_FIELDS = {
    "helpdesk.ticket": {
        "user_id": _TICKET_OPEN,
        "complaint_owner_id": _TICKET_OPEN,
        # the member of staff a complaint is about stays named (appraisal)
        "complained_user_id": HISTORY,
        "need_confirmed_by_id": HISTORY,
    },
    "helpdesk.ticket.sla.phase": {
        "user_id": Domain("state", "!=", "done"),
    },
    "helpdesk.ticket.escalation": {
        "user_id": HISTORY,
        "owner_id": HISTORY,
        "notified_user_ids": HISTORY,
    },
    "helpdesk.ticket.postmortem": {"user_id": Domain("state", "=", "draft")},
    "helpdesk.ticket.transfer": {"user_id": HISTORY},
    "helpdesk.ticket.team": {
        "user_id": Domain("active", "=", True),
        "user_ids": Domain("active", "=", True),
    },
    "helpdesk.service.plan": {"user_id": _PLAN_OPEN, "approver_id": HISTORY},
    # written as bookkeeping of the plan (_check_editable lets it pass)
    "helpdesk.service.plan.deliverable": {
        "user_id": Domain("plan_id.state", "not in", ("confirmed", "cancelled")),
    },
    "helpdesk.service.plan.quality.check": {"checker_id": HISTORY},
    "helpdesk.service.acceptance": {
        "user_id": Domain("state", "in", ("draft", "sent")),
        "override_user_id": HISTORY,
    },
    # the agent an answer names (appraisal)
    "helpdesk.service.satisfaction": {
        "user_id": HISTORY,
        "feedback_answered_by_id": HISTORY,
    },
    "helpdesk.service.summary": {
        "user_id": Domain("state", "in", ("draft", "submitted")),
        "approved_by_id": HISTORY,
    },
    "helpdesk.service.sla.statement": {"approved_by_id": HISTORY},
    "helpdesk.service.archive.document": {"user_id": HISTORY},
    "helpdesk.service.handover": {"user_id": HISTORY, "manager_id": HISTORY},
    "helpdesk.service.handover.line": {
        "user_id": HISTORY,
        "successor_id": HISTORY,
    },
    # the member appraised and who approved: the appraisal is about them
    "helpdesk.service.appraisal": {"user_id": HISTORY, "approved_by_id": HISTORY},
    # a meeting still to hold (minutes in draft) gets the successor; approved
    # minutes and their action items are final (the to-dos move as to-dos)
    "helpdesk.service.meeting": {
        "organizer_id": Domain("state", "=", "draft"),
        "user_ids": Domain("state", "=", "draft"),
        "approved_by_id": HISTORY,
    },
    "helpdesk.service.meeting.action": {"user_id": HISTORY},
    # a follow-up visit or care not yet recorded
    "helpdesk.service.visit": {"user_id": Domain("state", "in", ("planned", "late"))},
    # who took part in a training (the trainer of a session to come: the
    # model's own _handover_fields)
    "helpdesk.service.training.line": {"user_id": HISTORY},
    # the last contributor of a knowledge page
    "document.page": {"content_uid": HISTORY},
    "agreement": {"user_id": Domain("state", "in", ("draft", "active"))},
    "agreement.service.level": {
        "owner_user_ids": Domain("agreement_id", "=", False)
        | Domain("agreement_id.state", "in", ("draft", "active")),
    },
    "project.task": {
        "user_ids": Domain("state", "not in", ("1_done", "1_canceled")),
    },
    "project.project": {
        "user_id": Domain("active", "=", True),
        # a personal preference, not work
        "favorite_user_ids": HISTORY,
    },
    "res.partner": {"user_id": Domain("active", "=", True)},
    "res.company": {
        "complaint_manager_id": Domain.TRUE,
        "training_manager_id": Domain.TRUE,
        # the companies a user may work in: the access the hand-over removes
        "user_ids": HISTORY,
    },
}


def handover_models(env):
    """The models the hand-over looks into: every stored model the addon
    declares or extends, and the tickets and tasks."""
    model_ids = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", MODULE), ("model", "=", "ir.model")])
        .mapped("res_id")
    )
    names = set(env["ir.model"].sudo().browse(model_ids).mapped("model"))
    names.update(EXTRA_MODELS)
    return sorted(
        name
        for name in names
        if name in env
        and not env[name]._abstract
        and not env[name]._transient
        and env[name]._auto
    )


def user_fields(env):
    """Every stored user field of those models: ``[(model, field name)]``,
    Odoo's bookkeeping (created by, last updated by) aside."""
    return [
        (name, field.name)
        for name in handover_models(env)
        for field in env[name]._fields.values()
        if field.type in ("many2one", "many2many")
        and field.comodel_name == "res.users"
        and field.store
        and field.name not in ("create_uid", "write_uid")
    ]


def field_rule(env, model, fname):
    """``HISTORY``, the domain of the open records on which the field is
    moved, or None when the model never said."""
    Model = env[model]
    if hasattr(Model, "_handover_fields"):
        rules = Model._handover_fields()
        if fname in rules:
            return rules[fname]
    return HANDOVER_FIELDS.get(model, {}).get(fname)


def owned_rules(env):
    """The owned fields and their open domains, in the order they move:
    ``[(model, field name, open domain)]``. A field nobody classified is
    refused: moving it blindly could rewrite history, leaving it would leave
    work behind."""
    rules = []
    unknown = []
    for model, fname in user_fields(env):
        rule = field_rule(env, model, fname)
        if rule is None:
            unknown.append(f"{model}.{fname}")
        elif not isinstance(rule, str):
            rules.append((model, fname, Domain(rule)))
    return rules, unknown
