"""Manifests as they are compared: no tracking metadata, Secrets as Argo CD stores and masks
them, and YAML with sorted keys so that key order never shows as a change."""

from __future__ import annotations

import base64
from typing import Any

import yaml

from argoplane.argocd.tracking import INSTALLATION_ANNOTATION, TRACKING_ANNOTATION

TRACKING_ANNOTATIONS = (TRACKING_ANNOTATION, INSTALLATION_ANNOTATION)
MASK = "++++++++"

_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Sorted keys; multi-line strings as `|` blocks, so a changed line diffs as one line."""


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(obj: Any) -> str:
    return str(yaml.dump(obj, Dumper=_Dumper, sort_keys=True, default_flow_style=False,
                         allow_unicode=True, width=1 << 16))


def without_tracking(manifest: dict[str, Any], labels: tuple[str, ...] = ()) -> dict[str, Any]:
    """The manifest without Argo CD's tracking annotations (and the tracking label keys in
    `labels`); empty maps left behind are dropped. Copies only what it changes."""
    meta = manifest.get("metadata")
    if not isinstance(meta, dict):
        return manifest
    annotations = meta.get("annotations")
    found = meta.get("labels")
    strip_annotations = isinstance(annotations, dict) and any(
        k in annotations for k in TRACKING_ANNOTATIONS)
    strip_labels = isinstance(found, dict) and any(k in found for k in labels)
    if not strip_annotations and not strip_labels:
        return manifest
    meta = dict(meta)
    for field, keys, strip in (("annotations", TRACKING_ANNOTATIONS, strip_annotations),
                               ("labels", labels, strip_labels)):
        if strip:
            kept = {k: v for k, v in meta[field].items() if k not in keys}
            if kept:
                meta[field] = kept
            else:
                del meta[field]
    return {**manifest, "metadata": meta}


def is_secret(manifest: dict[str, Any]) -> bool:
    return manifest.get("kind") == "Secret" and manifest.get("apiVersion") == "v1"


def _b64(value: Any) -> str:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def secret_data(manifest: dict[str, Any]) -> dict[str, str]:
    """What the API server stores: `data`, with `stringData` base64-encoded over it."""
    data = manifest.get("data")
    out = {str(k): "" if v is None else str(v) for k, v in data.items()} if isinstance(
        data, dict) else {}
    string_data = manifest.get("stringData")
    if isinstance(string_data, dict):
        out.update({str(k): _b64(v) for k, v in string_data.items()})
    return out


def comparable(manifest: dict[str, Any], labels: tuple[str, ...] = ()) -> dict[str, Any]:
    """The form two manifests are compared in: tracking metadata gone, a Secret's
    `stringData` folded into `data` as Argo CD does before diffing."""
    out = without_tracking(manifest, labels)
    if is_secret(out) and "stringData" in out:
        out = {k: v for k, v in out.items() if k != "stringData"}
        out["data"] = secret_data(manifest)
    return out


def mask_pair(base: dict[str, Any] | None, head: dict[str, Any] | None
              ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, tuple[str, ...]]:
    """Both sides of a Secret with every value replaced as Argo CD does: equal values get the
    same mask, a different value a longer one. Returns the masked sides and the keys whose
    values differ (added, removed or changed)."""
    sides = [s if s is not None and is_secret(s) else None for s in (base, head)]
    data = [secret_data(s) if s is not None else None for s in sides]
    keys = sorted({k for d in data if d for k in d})
    masks: list[dict[str, str]] = [{}, {}]
    for key in keys:
        replacement = MASK
        seen: dict[str, str] = {}
        for i, d in enumerate(data):
            if d is None or key not in d:
                continue
            if d[key] not in seen:
                seen[d[key]] = replacement
                replacement += "++++"
            masks[i][key] = seen[d[key]]
    before, after = data[0] or {}, data[1] or {}
    changed = tuple(k for k in keys if before.get(k) != after.get(k))
    out: list[dict[str, Any] | None] = []
    for i, side in enumerate((base, head)):
        if side is None or sides[i] is None:
            out.append(side)
            continue
        masked = {k: v for k, v in side.items() if k not in ("data", "stringData")}
        if masks[i] or "data" in side or "stringData" in side:
            masked["data"] = masks[i]
        out.append(masked)
    return out[0], out[1], changed
