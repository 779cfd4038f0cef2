"""Every lint rule, in one plain dict: adding a rule means adding it to a family module and
that module's RULES list."""

from __future__ import annotations

from argoplane.checks.model import Rule
from argoplane.checks.rules import (
    apps,
    images,
    kubeschema,
    projects,
    resources,
    schema,
    secret_storage,
    secrets,
    sync,
    values,
)

_FAMILIES = (schema, apps, projects, values, secrets, secret_storage, images, sync, resources,
             kubeschema)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in sorted((r for family in _FAMILIES for r in family.RULES), key=lambda r: r.id)
}
