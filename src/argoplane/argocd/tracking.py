"""Resource tracking metadata that Argo CD adds to every rendered object."""

from __future__ import annotations

from typing import Any

from argoplane.argocd.kinds import is_crd
from argoplane.argocd.objects import api_group
from argoplane.core.errors import RenderError

TRACKING_ANNOTATION = "argocd.argoproj.io/tracking-id"
INSTALLATION_ANNOTATION = "argocd.argoproj.io/installation-id"
LABEL_MAX_LENGTH = 63


def truncate_label(value: str) -> str:
    """An `annotation+label` label value: a value longer than 63 bytes is cut to 63, then
    trailing bytes that are not ASCII alphanumerics are dropped. Shorter values are kept."""
    raw = value.encode("utf-8")
    if len(raw) <= LABEL_MAX_LENGTH:
        return value
    raw = raw[:LABEL_MAX_LENGTH]
    while not raw[-1:].isalnum():
        if len(raw) <= 1:
            raise RenderError(
                "failed to set app instance label: unable to truncate label to not end with "
                "a special character"
            )
        raw = raw[:-1]
    return raw.decode("utf-8")


def tracking_id(app_name: str, obj: dict[str, Any], namespace: str) -> str:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") or namespace
    kind = obj.get("kind") or ""
    return f"{app_name}:{api_group(obj)}/{kind}:{ns}/{meta.get('name') or ''}"


def set_app_instance(
    obj: dict[str, Any],
    app_name: str,
    *,
    method: str = "annotation",
    label_key: str = "app.kubernetes.io/instance",
    namespace: str = "",
    installation_id: str | None = None,
) -> None:
    """Add tracking metadata in place (CRDs are left alone, as Argo CD does)."""
    if not app_name or is_crd(api_group(obj), str(obj.get("kind", ""))):
        return
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    # Argo CD falls back to annotation tracking for an unknown method
    if method != "label":
        annotations = meta.get("annotations")
        if not isinstance(annotations, dict):
            annotations = meta["annotations"] = {}
        annotations[TRACKING_ANNOTATION] = tracking_id(app_name, obj, namespace)
        if installation_id:
            annotations[INSTALLATION_ANNOTATION] = installation_id
        else:
            annotations.pop(INSTALLATION_ANNOTATION, None)
    if method in ("label", "annotation+label"):
        labels = meta.get("labels")
        if not isinstance(labels, dict):
            labels = meta["labels"] = {}
        labels[label_key] = app_name if method == "label" else truncate_label(app_name)
    if not meta.get("labels") and "labels" in meta:
        del meta["labels"]
