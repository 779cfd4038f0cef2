"""One assessed repository with what the assessment looked at."""

from __future__ import annotations

from dataclasses import dataclass

from argoplane.assess.model import LEVEL_CREDIT, Assessment
from argoplane.assess.practices import Subject
from argoplane.render.model import RenderedTree


@dataclass
class Repo:
    assessment: Assessment
    subject: Subject
    tree: RenderedTree

    def credit(self, practice: str) -> float:
        return LEVEL_CREDIT[self.assessment.practice(practice).level]
