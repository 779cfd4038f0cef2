"""Sprig's encoding, hashing, path, URL, UUID and flow-control functions.

Key and certificate generation, bcrypt and AES are registered (so templates that use
them parse as in Argo CD) but fail when called: they are non-hermetic and argoplane
renders offline.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import urllib.parse
import uuid
import zlib
from typing import Any

from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.registry import register
from argoplane.argocd.templating.gotemplate.sprig_strings import from_bytes, to_bytes
from argoplane.argocd.templating.gotemplate.values import ANY, INT, MAP, STRING, UINT32, go_kind

# ----------------------------------------------------------------------------- encoding

_B64 = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_B32 = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def _corrupt_at(data: bytes, alphabet: set[int], quantum: int) -> int:
    body = data.replace(b"\r", b"").replace(b"\n", b"")
    stripped = body.rstrip(b"=")
    for i, c in enumerate(stripped):
        if c not in alphabet:
            return i
    if len(body) % quantum:
        return len(body) - len(body) % quantum if len(stripped) < len(body) else len(body)
    return len(stripped)


@register("b64enc", [STRING])
def _b64enc(v: str) -> str:
    return base64.b64encode(to_bytes(v)).decode("ascii")


@register("b64dec", [STRING])
def _b64dec(v: str) -> str:
    data = to_bytes(v)
    try:
        return from_bytes(base64.b64decode(data.replace(b"\r", b"").replace(b"\n", b""),
                                           validate=True))
    except (binascii.Error, ValueError):
        return f"illegal base64 data at input byte {_corrupt_at(data, _B64, 4)}"


@register("b32enc", [STRING])
def _b32enc(v: str) -> str:
    return base64.b32encode(to_bytes(v)).decode("ascii")


@register("b32dec", [STRING])
def _b32dec(v: str) -> str:
    data = to_bytes(v)
    try:
        return from_bytes(base64.b32decode(data.replace(b"\r", b"").replace(b"\n", b"")))
    except (binascii.Error, ValueError):
        return f"illegal base32 data at input byte {_corrupt_at(data, _B32, 8)}"


@register("sha1sum", [STRING])
def _sha1sum(s: str) -> str:
    return hashlib.sha1(to_bytes(s), usedforsecurity=False).hexdigest()


@register("sha256sum", [STRING])
def _sha256sum(s: str) -> str:
    return hashlib.sha256(to_bytes(s)).hexdigest()


@register("sha512sum", [STRING])
def _sha512sum(s: str) -> str:
    return hashlib.sha512(to_bytes(s)).hexdigest()


@register("adler32sum", [STRING])
def _adler32sum(s: str) -> str:
    return str(zlib.adler32(to_bytes(s)))


@register("uuidv4")
def _uuidv4() -> str:
    return str(uuid.uuid4())


@register("randBytes", [INT])
def _rand_bytes(count: int) -> str:
    if count < 0:
        raise GoFuncError("runtime error: makeslice: len out of range")
    return base64.b64encode(secrets.token_bytes(count)).decode("ascii")


def _unsupported(name: str) -> Any:
    def fn(*_args: Any) -> Any:
        raise GoFuncError(f"{name} is not supported by argoplane (offline rendering)")

    return fn


for _name, _params in {
    "bcrypt": [STRING],
    "htpasswd": [STRING, STRING],
    "genPrivateKey": [STRING],
    "derivePassword": [UINT32, STRING, STRING, STRING, STRING],
    "buildCustomCert": [STRING, STRING],
    "genCA": [STRING, INT],
    "genCAWithKey": [STRING, INT, STRING],
    "genSelfSignedCert": [STRING, ANY, ANY, INT],
    "genSelfSignedCertWithKey": [STRING, ANY, ANY, INT, STRING],
    "genSignedCert": [STRING, ANY, ANY, INT, ANY],
    "genSignedCertWithKey": [STRING, ANY, ANY, INT, ANY, STRING],
    "encryptAES": [STRING, STRING],
    "decryptAES": [STRING, STRING],
}.items():
    register(_name, _params)(_unsupported(_name))


@register("fail", [STRING])
def _fail(msg: str) -> str:
    raise GoFuncError(msg)


# ----------------------------------------------------------------------------- paths


def go_clean(path: str) -> str:
    """Go's `path.Clean`."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(seg)
    out = "/".join(parts)
    if rooted:
        out = "/" + out
    return out or "."


def go_base(path: str) -> str:
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1 :]


def go_dir(path: str) -> str:
    return go_clean(path[: path.rfind("/") + 1])


def go_ext(path: str) -> str:
    for i in range(len(path) - 1, -1, -1):
        if path[i] == "/":
            break
        if path[i] == ".":
            return path[i:]
    return ""


for _prefix in ("", "os"):
    register(_prefix + ("Base" if _prefix else "base"), [STRING])(go_base)
    register(_prefix + ("Dir" if _prefix else "dir"), [STRING])(go_dir)
    register(_prefix + ("Clean" if _prefix else "clean"), [STRING])(go_clean)
    register(_prefix + ("Ext" if _prefix else "ext"), [STRING])(go_ext)
    register(_prefix + ("IsAbs" if _prefix else "isAbs"), [STRING])(
        lambda p: p.startswith("/")
    )


# ----------------------------------------------------------------------------- URLs


def _unescape(s: str) -> str:
    return urllib.parse.unquote(s, errors="strict")


def _parse_url(raw: str) -> dict[str, str]:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise GoFuncError(
            f'unable to parse url: parse "{raw}": net/url: invalid control character in URL'
        )
    rest, _, fragment = raw.partition("#")
    scheme = ""
    for i, c in enumerate(rest):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-.") and i > 0:
            continue
        if c == ":":
            if i == 0:
                raise GoFuncError(f'unable to parse url: parse "{raw}": missing protocol scheme')
            scheme, rest = rest[:i].lower(), rest[i + 1 :]
        break
    query = ""
    if "?" in rest:
        rest, _, query = rest.partition("?")
    out = {"scheme": scheme, "host": "", "hostname": "", "path": "", "query": query,
           "opaque": "", "fragment": _unescape(fragment), "userinfo": ""}
    if not rest.startswith("/") and scheme:
        out["opaque"] = rest
        return out
    if rest.startswith("//") and (scheme or not rest.startswith("///")):
        authority, slash, path = rest[2:].partition("/")
        rest = slash + path
        if "@" in authority:
            userinfo, _, authority = authority.rpartition("@")
            out["userinfo"] = userinfo
        out["host"] = authority
        host = authority
        if host.startswith("["):
            host = host[1 : host.find("]")] if "]" in host else host[1:]
        elif ":" in host:
            host = host[: host.rfind(":")]
        out["hostname"] = host
    out["path"] = _unescape(rest)
    return out


@register("urlParse", [STRING])
def _url_parse(v: str) -> dict[str, Any]:
    return dict(_parse_url(v))


def _dict_get_or_empty(d: dict[str, Any], key: str) -> str:
    if key not in d:
        return ""
    value = d[key]
    if not isinstance(value, str):
        raise GoFuncError(
            f"unable to parse {key} key, must be of type string, but {go_kind(value)} found"
        )
    return value


@register("urlJoin", [MAP])
def _url_join(d: dict[str, Any]) -> str:
    scheme = _dict_get_or_empty(d, "scheme")
    host = _dict_get_or_empty(d, "host")
    path = _dict_get_or_empty(d, "path")
    query = _dict_get_or_empty(d, "query")
    opaque = _dict_get_or_empty(d, "opaque")
    fragment = _dict_get_or_empty(d, "fragment")
    userinfo = _dict_get_or_empty(d, "userinfo")
    out = ""
    if opaque:
        out = scheme + ":" + opaque if scheme else opaque
    else:
        if scheme:
            out = scheme + ":"
        if scheme or host or userinfo:
            if host or path or userinfo:
                out += "//"
            if userinfo:
                out += userinfo + "@"
            out += host
        escaped = urllib.parse.quote(path, safe="/$&+,:;=@")
        if escaped and not escaped.startswith("/") and host:
            out += "/"
        if not out and ":" in escaped.split("/", 1)[0]:
            out = "./"
        out += escaped
    if query:
        out += "?" + query
    if fragment:
        out += "#" + urllib.parse.quote(fragment, safe="$&+,/:;=?@!()*")
    return out
