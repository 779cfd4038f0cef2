"""The score out of 10: one table of weights, and how levels turn into points.

Foundations (5.5 points) are what makes a repository work with Argo CD at all: everything it
deploys is declared in Git and renders, each service is a Helm chart, people can find their
way around it. The other 4.5 points are the practices that let it grow to several
environments, regions and teams. A practice in place earns its weight, a partial one half of
it, a missing one nothing; a practice that does not apply (no service reads a Secret, say) is
left out and the score is scaled back to 10.
"""

from __future__ import annotations

from argoplane.assess.model import LEVEL_CREDIT, Practice

# practice id -> points out of 10 (the table in docs/assess.md)
WEIGHTS: dict[str, float] = {
    "renders": 2.5,
    "helm-charts": 1.5,
    "documentation": 1.5,
    "environments": 0.75,
    "secrets-in-git": 0.75,
    "auto-sync": 0.5,
    "image-tags": 0.5,
    "applicationsets": 0.5,
    "app-of-apps": 0.5,
    "appprojects": 0.5,
    "namespace-per-service": 0.25,
    "multi-region": 0.125,
    "revision-history": 0.125,
}
FOUNDATIONS = ("renders", "helm-charts", "documentation")

# lowest score -> grade
GRADES: tuple[tuple[float, str], ...] = (
    (8.5, "production-ready"),
    (7.0, "maturing"),
    (5.0, "development"),
    (0.0, "getting started"),
)


def round_score(value: float) -> float:
    """One decimal, halves rounded up (9.25 -> 9.3), as people round."""
    return int(value * 10 + 0.5 + 1e-9) / 10


def score(practices: list[Practice]) -> float:
    applicable = [p for p in practices if p.applicable]
    total = sum(p.weight for p in applicable)
    if total == 0:
        return 0.0
    return round_score(10 * sum(p.points for p in applicable) / total)


def apply_weights(practices: list[Practice]) -> None:
    for p in practices:
        p.weight = WEIGHTS[p.id]
        p.points = p.weight * LEVEL_CREDIT[p.level]


def grade(value: float) -> str:
    return next(label for low, label in GRADES if value >= low)
