"""The domain's admin pages, one module per part of the domain; importing them registers them.

Declarative: each page calls a service to write (cases.services; a new referral goes through the workflow's
referral_take_in, as an imported one does) and holds no rules of its own.
"""
from cases.admin import case, contacts, employment, parts, people  # noqa: F401
