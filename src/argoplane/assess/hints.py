"""One next step per practice that is not fully in place, with the command that does it."""

from __future__ import annotations

from collections.abc import Set

from argoplane.assess.model import Hint, Practice

# practice id -> (next step, the argoplane commands that do it, preferred first)
NEXT_STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "renders": ("Fix what fails to render; `argoplane render` shows each error.", ()),
    "helm-charts": ("Package each service as a Helm chart next to its values.", ()),
    "documentation": ("Add a README for each service or a docs/ folder that explains the "
                      "layout, the environments and how to release.", ()),
    "environments": ("Split each service's values into a base and one override file per "
                     "environment, and deploy every environment from the same chart.",
                     ("argoplane migrate --phase environments",)),
    "secrets-in-git": ("Keep secrets in Git, encrypted: SOPS `secrets://` value files or "
                       "SealedSecrets, instead of Secrets created by hand.",
                       ("argoplane migrate --phase secrets", "argoplane secrets encrypt")),
    "auto-sync": ("Turn on automated sync (with prune) for the services; keep databases and "
                  "other critical infrastructure on manual sync.", ()),
    "image-tags": ("Move each service's image tag into a `<env>/tag.yaml` of its own, so a "
                   "release changes one line in one file.",
                   ("argoplane migrate --phase environments",)),
    "applicationsets": ("Generate the per-service Applications from an ApplicationSet instead "
                        "of writing one Application per service.",
                        ("argoplane migrate --phase appsets",)),
    "app-of-apps": ("Add a root Application that deploys the ApplicationSets and the other "
                    "Applications, so one Application brings up the platform.",
                    ("argoplane migrate --phase app-of-apps",)),
    "appprojects": ("Move Applications out of the default project into AppProjects that "
                    "limit their source repositories and destinations.",
                    ("argoplane migrate --phase projects",)),
    "namespace-per-service": ("Give each service a namespace of its own (for example "
                              "`<service>-<env>`).", ()),
    "multi-region": ("Add a region axis to the generators and per-region value files where "
                     "the business needs it.", ("argoplane migrate --phase regions",)),
    "revision-history": ("Set `revisionHistoryLimit` (for example 3) on the Applications.",
                         ()),
}


def available(candidates: tuple[str, ...], commands: Set[str]) -> str | None:
    """The first command argoplane has (`migrate`, `secrets encrypt`...), else None."""
    for command in candidates:
        words: list[str] = []
        for word in command.split()[1:]:
            if word.startswith("-"):
                break
            words.append(word)
        if " ".join(words) in commands:
            return command
    return None


def hints_for(practices: list[Practice], commands: Set[str]) -> list[Hint]:
    ordered = sorted((p for p in practices if p.level in ("partial", "none")),
                     key=lambda p: -(p.weight - p.points))
    out = []
    for p in ordered:
        text, candidates = NEXT_STEPS[p.id]
        out.append(Hint(p.id, text, available(candidates, commands)))
    return out
