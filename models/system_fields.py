# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fields that only the addon's server code writes.

Clocks, deadlines, workflow states and numbering columns are computed or moved by
methods that check their preconditions. ``readonly`` in a view protects nothing
over RPC, so ``create`` and ``write`` refuse these fields from users. Trusted
server code writes them inside ``system_write(...)``: a context variable of the
running thread, which no RPC caller can set (unlike ``env.context``). Superuser
environments (scheduled actions, data files, ``sudo()`` after a check) are
trusted as well.
"""

import contextvars
from contextlib import contextmanager

from odoo.exceptions import AccessError

_ALLOWED = contextvars.ContextVar("hsa_system_write", default=frozenset())
# per model: server-side values passed from a trusted caller to a hook (the
# reason of an escalation, ...), never read from the RPC context
_VALUES = contextvars.ContextVar("hsa_system_values", default=None)


@contextmanager
def system_write(*fnames, **values):
    """Let the enclosed server code write ``fnames`` and read ``values`` with
    ``system_value(key)``."""
    allowed = _ALLOWED.set(_ALLOWED.get() | frozenset(fnames))
    merged = _VALUES.set({**(_VALUES.get() or {}), **values})
    try:
        yield
    finally:
        _VALUES.reset(merged)
        _ALLOWED.reset(allowed)


def system_value(key, default=None):
    """A value set by trusted server code around the current call."""
    return (_VALUES.get() or {}).get(key, default)


def check_system_fields(records, vals_list, fnames, defaults=None):
    """Refuse the values of system fields ``fnames`` in ``vals_list`` unless
    the environment is superuser or the caller runs inside ``system_write``
    for them. ``defaults`` maps a field to the value a new record may be
    created with (a draft state)."""
    if records.env.su:
        return
    allowed = _ALLOWED.get()
    defaults = defaults or {}
    for vals in vals_list:
        for fname in fnames.intersection(vals).difference(allowed):
            # a new record may come with the empty or default value the form
            # sends for every field it shows
            if not records and (not vals[fname] or vals[fname] == defaults.get(fname)):
                continue
            field = records._fields[fname]
            raise AccessError(
                records.env._(
                    "%(field)s of %(model)s is set by the system and cannot be "
                    "written directly; use the actions that change it.",
                    field=field._description_string(records.env),
                    model=records.env["ir.model"]._get(records._name).name,
                )
            )


def is_system_write(fname):
    """Whether the running server code writes ``fname`` inside
    ``system_write`` (superuser or not): for guards that hold even for the
    superuser, such as a signed document's immutability."""
    return fname in _ALLOWED.get()
