"""Lint settings: the `lint:` section of `.argoplane.yaml`, checked against the known rules.

```yaml
lint:
  disable: [AP015]                    # rules that do not run
  level: {AP014: warning, AP010: error}   # a rule's level (error | warning | info | off)
  ignore:                             # per-path ignores: glob -> rules (or ALL)
    legacy/**: [AP009]
  kubernetesVersion: "1.31"           # schemas for AP017
  productionMarkers: [prod, production]   # words that mark an environment as production
  criticalApps: ["*postgres*", "*ingress*"]   # globs for critical infrastructure (AP011)
```
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from argoplane.argocd.glob import doublestar_match
from argoplane.checks.model import LEVELS, Level
from argoplane.core.config import CONFIG_FILE, Config
from argoplane.core.errors import InputError

DEFAULT_KUBERNETES_VERSION = "1.31"
PRODUCTION_MARKERS = ("prod", "production", "prd", "live")
CRITICAL_APPS = (
    "*postgres*", "*mysql*", "*mariadb*", "*mongo*", "*redis*", "*valkey*", "*cassandra*",
    "*elasticsearch*", "*opensearch*", "*kafka*", "*rabbitmq*", "*zookeeper*", "*etcd*",
    "*clickhouse*", "*cockroach*", "*database*", "*ingress*", "*traefik*", "*haproxy*",
    "*contour*",
)
ALL = "ALL"
IGNORE_ANNOTATION = "argoplane.io/ignore"


@dataclass(frozen=True)
class LintSettings:
    disabled: frozenset[str] = frozenset()
    levels: Mapping[str, Level] = field(default_factory=dict)
    ignores: tuple[tuple[str, frozenset[str]], ...] = ()  # (path glob, rule ids or ALL)
    kubernetes_version: str = DEFAULT_KUBERNETES_VERSION
    production_markers: tuple[str, ...] = PRODUCTION_MARKERS
    critical_apps: tuple[str, ...] = CRITICAL_APPS

    def ignored_at(self, rule: str, file: str | None) -> bool:
        if file is None:
            return False
        return any((rule in rules or ALL in rules) and _path_match(pattern, file)
                   for pattern, rules in self.ignores)

    def is_critical(self, name: str) -> bool:
        lowered = name.lower()
        return any(fnmatch.fnmatchcase(lowered, p.lower()) for p in self.critical_apps)


def _path_match(pattern: str, file: str) -> bool:
    pattern = pattern.lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    return doublestar_match(pattern, file) or doublestar_match(pattern.rstrip("/") + "/**", file)


def parse_ignore_annotation(value: Any) -> frozenset[str]:
    """`argoplane.io/ignore: AP010,AP014` (commas and/or spaces) -> the rule ids."""
    if not isinstance(value, str):
        return frozenset()
    return frozenset(p.strip().upper() for p in value.replace(",", " ").split() if p.strip())


def _fail(message: str) -> InputError:
    return InputError(f"lint: {message}", file=CONFIG_FILE)


def _rule_ids(value: Any, where: str, known: Collection[str], allow_all: bool = False
              ) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(f"{where} must be a list of rule ids")
    ids = frozenset(v.strip().upper() for v in value)
    unknown = sorted(i for i in ids if i not in known and not (allow_all and i == ALL))
    if unknown:
        raise _fail(f"{where}: unknown rule {', '.join(unknown)} "
                    "(see `argoplane lint --list-rules`)")
    return ids


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(f"{where} must be a non-empty list of strings")
    return tuple(value)


def load_settings(config: Config, known: Collection[str],
                  kubernetes_version: str | None = None) -> LintSettings:
    """The lint settings of a repository; `kubernetes_version` (from the CLI) wins."""
    raw = config.raw.get("lint")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _fail("must be a mapping")
    allowed = {"disable", "level", "ignore", "kubernetesVersion", "productionMarkers",
               "criticalApps"}
    extra = sorted(str(k) for k in raw if k not in allowed)
    if extra:
        raise _fail(f"unknown setting {', '.join(extra)} (known: {', '.join(sorted(allowed))})")
    disabled = set(_rule_ids(raw.get("disable") or [], "disable", known))
    levels: dict[str, Level] = {}
    level_map = raw.get("level") or {}
    if not isinstance(level_map, dict):
        raise _fail("level must map rule ids to error, warning, info or off")
    for key, value in level_map.items():
        (rule,) = _rule_ids([str(key)], "level", known)
        text = "off" if value is False else str(value).lower()
        if text == "off":
            disabled.add(rule)
        elif text in LEVELS:
            levels[rule] = text
        else:
            raise _fail(f"level.{key} must be error, warning, info or off, not {value!r}")
    ignore = raw.get("ignore") or {}
    if not isinstance(ignore, dict):
        raise _fail("ignore must map path globs to lists of rule ids")
    ignores = tuple((str(pattern), _rule_ids(rules, f"ignore[{pattern!r}]", known, True))
                    for pattern, rules in ignore.items())
    version = kubernetes_version or raw.get("kubernetesVersion") or config.kube_version
    version_text = str(version or DEFAULT_KUBERNETES_VERSION).lstrip("v")
    markers = raw.get("productionMarkers")
    critical = raw.get("criticalApps")
    return LintSettings(
        disabled=frozenset(disabled),
        levels=levels,
        ignores=ignores,
        kubernetes_version=version_text,
        production_markers=tuple(m.lower() for m in _strings(markers, "productionMarkers"))
        if markers is not None else PRODUCTION_MARKERS,
        critical_apps=_strings(critical, "criticalApps") if critical is not None
        else CRITICAL_APPS,
    )
