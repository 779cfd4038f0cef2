"""Set or drop `image.tag` in a values file, keeping its comments, order and quoting."""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap

from argoplane.core.errors import InputError
from argoplane.layout.roundtrip import Document, string_like

PIN_COMMENT = ("Image tag pinned for this region: wins over the environment's tag.yaml\n"
               "(argoplane set-image --region).")
_PIN_BLOCK = "\n" + "".join(f"# {line}\n" for line in PIN_COMMENT.splitlines())


def _top(doc: Document) -> CommentedMap:
    if doc.data is None:
        doc.data = CommentedMap()
    if not isinstance(doc.data, CommentedMap):
        raise InputError("a values file must hold a YAML mapping", file=doc.file)
    return doc.data


def set_tag(text: str, file: str, tag: str) -> str:
    doc = Document(text, file)
    top = _top(doc)
    image = top.get("image")
    if image is None:
        top["image"] = image = CommentedMap()
        if len(top) > 1:
            top.yaml_set_comment_before_after_key("image", before="\n" + PIN_COMMENT)
    elif not isinstance(image, CommentedMap):
        raise InputError("`image` must be a mapping", file=file)
    image["tag"] = string_like(tag, image.get("tag"))
    return doc.text()


def drop_tag(text: str, file: str) -> str:
    doc = Document(text, file)
    top = _top(doc)
    image = top.get("image")
    if not isinstance(image, CommentedMap) or "tag" not in image:
        return text
    del image["tag"]
    if image:
        return doc.text()
    del top["image"]
    return doc.text().replace(_PIN_BLOCK, "")
