"""Repository URL normalisation, the way Argo CD compares repository URLs."""

from __future__ import annotations

import re

_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")


def normalize_repo_url(url: str) -> str:
    """`git@host:org/repo.git`, `ssh://git@host/org/repo`, `https://host/org/repo/`
    all become `host/org/repo`."""
    u = url.strip().lower()
    u = re.sub(r"^[a-z0-9+.-]+://", "", u)
    if "://" not in url and (m := _SCP_LIKE.match(u)):
        u = f"{m.group(1)}/{m.group(2)}"
    u = re.sub(r"^[^/@]+@", "", u)  # user@ in front of the host
    u = u.rstrip("/")
    if u.endswith(".git"):
        u = u[:-4]
    return u
