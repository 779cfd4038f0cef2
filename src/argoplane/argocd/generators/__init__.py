"""ApplicationSet generators: one module each, listed in one plain dict."""

from __future__ import annotations

from argoplane.argocd.generators import clusters as clusters_generator
from argoplane.argocd.generators import git as git_generator
from argoplane.argocd.generators import list as list_generator
from argoplane.argocd.generators import matrix as matrix_generator
from argoplane.argocd.generators import merge as merge_generator
from argoplane.argocd.generators.base import Generator

GENERATORS: dict[str, Generator] = {
    "list": list_generator.generate,
    "clusters": clusters_generator.generate,
    "git": git_generator.generate,
    "matrix": matrix_generator.generate,
    "merge": merge_generator.generate,
}

# Generators Argo CD has that need a network or a cluster: known, but not evaluable offline.
ONLINE_GENERATORS: dict[str, str] = {
    "scmProvider": "it lists repositories from an SCM provider's API",
    "pullRequest": "it lists pull requests from an SCM provider's API",
    "clusterDecisionResource": "it reads a custom resource from the cluster",
    "plugin": "it calls a plugin service over HTTP",
}

# Generators Argo CD has that argoplane does not evaluate yet.
PENDING_GENERATORS: frozenset[str] = frozenset()
