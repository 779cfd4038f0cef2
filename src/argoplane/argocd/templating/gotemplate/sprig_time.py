"""`time.Time` values and Sprig's date functions (non-hermetic: they read the clock).

argoplane treats Go's `time.Local` as UTC, which is what the Argo CD controller
container uses by default.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.gofmt import quote
from argoplane.argocd.templating.gotemplate.registry import register
from argoplane.argocd.templating.gotemplate.values import (
    ANY,
    INT,
    STRING,
    TIME,
    GoInt,
    GoObject,
    Int64,
    Method,
)

UTC = dt.UTC
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


class Month(GoInt):
    gotype = "time.Month"

    def go_string(self) -> str:
        return _MONTHS[int(self) - 1] if 1 <= int(self) <= 12 else f"%!Month({int(self)})"


class Weekday(GoInt):
    gotype = "time.Weekday"

    def go_string(self) -> str:
        return _DAYS[int(self)] if 0 <= int(self) <= 6 else f"%!Weekday({int(self)})"


class GoTime(GoObject):
    """A Go `time.Time`: an aware datetime plus nanoseconds."""

    gotype: ClassVar[str] = TIME
    gokind: ClassVar[str] = "struct"

    def __init__(self, when: dt.datetime, nanos: int | None = None) -> None:
        self.when = when
        self.nanos = when.microsecond * 1000 if nanos is None else nanos

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, GoTime) and self.when == other.when and self.nanos == other.nanos
        )

    def __hash__(self) -> int:
        return hash((self.when, self.nanos))

    def go_string(self) -> str:
        return format_time(self, "2006-01-02 15:04:05.999999999 -0700 MST")

    def go_json(self) -> str:
        return quote(format_time(self, "2006-01-02T15:04:05.999999999Z07:00"))

    def unix(self) -> int:
        return int(self.when.timestamp() // 1)

    def go_method(self, name: str) -> Method | None:
        w = self.when
        simple: dict[str, Any] = {
            "Year": lambda: w.year,
            "Month": lambda: Month(w.month),
            "Day": lambda: w.day,
            "Hour": lambda: w.hour,
            "Minute": lambda: w.minute,
            "Second": lambda: w.second,
            "Nanosecond": lambda: self.nanos,
            "YearDay": lambda: w.timetuple().tm_yday,
            "Weekday": lambda: Weekday((w.weekday() + 1) % 7),
            "Unix": lambda: Int64(self.unix()),
            "UnixMilli": lambda: Int64(self.unix() * 1000 + self.nanos // 1_000_000),
            "UnixNano": lambda: Int64(self.unix() * 1_000_000_000 + self.nanos),
            "UTC": lambda: GoTime(w.astimezone(UTC), self.nanos),
            "Local": lambda: GoTime(w.astimezone(UTC), self.nanos),
            "String": self.go_string,
            "IsZero": lambda: w.year == 1 and w.month == 1 and w.day == 1 and self.unix()
            == -62135596800 and self.nanos == 0,
        }
        if name in simple:
            return Method(name, simple[name])
        if name == "Format":
            return Method(name, lambda layout: format_time(self, layout), (STRING,))
        if name in ("Before", "After", "Equal"):
            def cmp(other: GoTime) -> bool:
                a, b = (self.when, self.nanos), (other.when, other.nanos)
                if name == "Before":
                    return a < b
                if name == "After":
                    return a > b
                return a == b

            return Method(name, cmp, (TIME,))
        if name == "AddDate":
            return Method(name, self.add_date, (INT, INT, INT))
        return None

    def add_date(self, years: int, months: int, days: int) -> GoTime:
        w = self.when
        total = w.year * 12 + (w.month - 1) + months
        year, month = divmod(total, 12)
        year += years
        base = dt.datetime(year, month + 1, 1, w.hour, w.minute, w.second, w.microsecond,
                           tzinfo=w.tzinfo)
        return GoTime(base + dt.timedelta(days=w.day - 1 + days), self.nanos)


def now() -> GoTime:
    return GoTime(dt.datetime.now(UTC))


ZERO_TIME = GoTime(dt.datetime(1, 1, 1, tzinfo=UTC), 0)


# ----------------------------------------------------------------------------- layouts

_STD = [
    "January", "Jan", "Monday", "Mon", "MST",
    "2006", "002", "__2", "_2", "01", "02", "03", "04", "05", "06",
    "15", "1", "2", "3", "4", "5", "PM", "pm",
    "-07:00:00", "-070000", "-07:00", "-0700", "-07",
    "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
]


def _next_chunk(layout: str, i: int) -> tuple[str, int] | None:
    """The std chunk at layout[i] and its length, or None (Go's `nextStdChunk`)."""
    c = layout[i]
    rest = layout[i:]
    if c in ".," and i + 1 < len(layout) and layout[i + 1] in "09":
        ch = layout[i + 1]
        j = i + 1
        while j < len(layout) and layout[j] == ch:
            j += 1
        if not (j < len(layout) and layout[j].isdigit()):
            return layout[i:j], j - i
        return None
    if c == "_" and rest.startswith("_2006"):
        return None  # a literal "_" followed by 2006
    for std in _STD:  # longest alternatives come first
        if rest.startswith(std):
            return std, len(std)
    return None


def _offset_parts(t: GoTime) -> tuple[str, int, int, int]:
    off = t.when.utcoffset() or dt.timedelta(0)
    secs = int(off.total_seconds())
    sign = "-" if secs < 0 else "+"
    secs = abs(secs)
    return sign, secs // 3600, secs // 60 % 60, secs % 60


def format_time(t: GoTime, layout: str) -> str:
    """`Time.Format(layout)`."""
    w = t.when
    out: list[str] = []
    i = 0
    while i < len(layout):
        chunk = _next_chunk(layout, i)
        if chunk is None:
            out.append(layout[i])
            i += 1
            continue
        std, n = chunk
        i += n
        hour12 = w.hour % 12 or 12
        if std[0] in ".,":
            digits = f"{t.nanos:09d}"[: len(std) - 1]
            if std[1] == "9":
                digits = digits.rstrip("0")
                out.append(std[0] + digits if digits else "")
            else:
                out.append(std[0] + digits)
            continue
        if std.startswith(("-07", "Z07")):
            sign, hh, mm, ss = _offset_parts(t)
            if std[0] == "Z" and hh == mm == ss == 0:
                out.append("Z")
                continue
            body = std[1:]
            text = sign + f"{hh:02d}"
            if body in ("0700", "07:00", "070000", "07:00:00"):
                text += (":" if ":" in body else "") + f"{mm:02d}"
            if body in ("070000", "07:00:00"):
                text += (":" if ":" in body else "") + f"{ss:02d}"
            out.append(text)
            continue
        out.append(_format_std(std, w, t, hour12))
    return "".join(out)


def _format_std(std: str, w: dt.datetime, t: GoTime, hour12: int) -> str:
    table: dict[str, Any] = {
        "January": lambda: _MONTHS[w.month - 1],
        "Jan": lambda: _MONTHS[w.month - 1][:3],
        "Monday": lambda: _DAYS[(w.weekday() + 1) % 7],
        "Mon": lambda: _DAYS[(w.weekday() + 1) % 7][:3],
        "MST": lambda: _zone_name(t),
        "2006": lambda: f"{w.year:04d}",
        "06": lambda: f"{w.year % 100:02d}",
        "002": lambda: f"{w.timetuple().tm_yday:03d}",
        "__2": lambda: f"{w.timetuple().tm_yday:3d}",
        "_2": lambda: f"{w.day:2d}",
        "01": lambda: f"{w.month:02d}",
        "1": lambda: str(w.month),
        "02": lambda: f"{w.day:02d}",
        "2": lambda: str(w.day),
        "15": lambda: f"{w.hour:02d}",
        "03": lambda: f"{hour12:02d}",
        "3": lambda: str(hour12),
        "04": lambda: f"{w.minute:02d}",
        "4": lambda: str(w.minute),
        "05": lambda: f"{w.second:02d}",
        "5": lambda: str(w.second),
        "PM": lambda: "PM" if w.hour >= 12 else "AM",
        "pm": lambda: "pm" if w.hour >= 12 else "am",
    }
    return str(table[std]())


def _zone_name(t: GoTime) -> str:
    name = t.when.tzname()
    if name and name[0].isalpha():
        return name
    sign, hh, mm, _ = _offset_parts(t)
    return sign + f"{hh:02d}" + (f"{mm:02d}" if mm else "")


_PARSE_RX = {
    "January": "(?P<month_name>" + "|".join(_MONTHS) + ")",
    "Jan": "(?P<month_abbr>" + "|".join(m[:3] for m in _MONTHS) + ")",
    "Monday": "(?:" + "|".join(_DAYS) + ")",
    "Mon": "(?:" + "|".join(d[:3] for d in _DAYS) + ")",
    "MST": r"(?P<zone>[A-Z]{3,5})",
    "2006": r"(?P<year>\d{4})",
    "06": r"(?P<year2>\d{2})",
    "002": r"(?P<yday>\d{3})",
    "__2": r"(?P<yday> {0,2}\d{1,3})",
    "_2": r"(?P<day> ?\d{1,2})",
    "01": r"(?P<month>\d{2})",
    "1": r"(?P<month>\d{1,2})",
    "02": r"(?P<day>\d{2})",
    "2": r"(?P<day>\d{1,2})",
    "15": r"(?P<hour>\d{1,2})",
    "03": r"(?P<hour12>\d{2})",
    "3": r"(?P<hour12>\d{1,2})",
    "04": r"(?P<minute>\d{2})",
    "4": r"(?P<minute>\d{1,2})",
    "05": r"(?P<second>\d{2})",
    "5": r"(?P<second>\d{1,2})",
    "PM": r"(?P<ampm>AM|PM)",
    "pm": r"(?P<ampm>am|pm)",
}


def parse_time(layout: str, value: str) -> GoTime:
    """`time.ParseInLocation(layout, value, Local)` for the common layout elements."""
    parts: list[str] = []
    i = 0
    while i < len(layout):
        chunk = _next_chunk(layout, i)
        if chunk is None:
            parts.append(re.escape(layout[i]))
            i += 1
            continue
        std, n = chunk
        i += n
        if std[0] in ".,":
            parts.append(r"(?:[.,](?P<frac>\d+))" + ("?" if std[1] == "9" else ""))
        elif std.startswith(("-07", "Z07")):
            z = "Z|" if std[0] == "Z" else ""
            parts.append(rf"(?P<offset>{z}[+-]\d{{2}}(?::?\d{{2}}(?::?\d{{2}})?)?)")
        else:
            parts.append(_PARSE_RX[std])
    m = re.fullmatch("".join(parts), value)
    if m is None:
        raise GoFuncError(f"parsing time {quote(value)} as {quote(layout)}: cannot parse")
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    year = int(g["year"]) if "year" in g else 0
    if "year2" in g:
        y2 = int(g["year2"])
        year = 1900 + y2 if y2 >= 69 else 2000 + y2
    month = 1
    if "month" in g:
        month = int(g["month"])
    elif "month_name" in g:
        month = _MONTHS.index(g["month_name"]) + 1
    elif "month_abbr" in g:
        month = [m_[:3] for m_ in _MONTHS].index(g["month_abbr"]) + 1
    day = int(g.get("day", "1").strip())
    hour = int(g.get("hour", "0"))
    if "hour12" in g:
        hour = int(g["hour12"]) % 12 + (12 if g.get("ampm", "").lower() == "pm" else 0)
    minute = int(g.get("minute", "0"))
    second = int(g.get("second", "0"))
    nanos = int((g.get("frac", "") + "000000000")[:9])
    tz: dt.tzinfo = UTC
    if "offset" in g and g["offset"] != "Z":
        text = g["offset"].replace(":", "")
        sign = -1 if text[0] == "-" else 1
        hh, mm, ss = int(text[1:3]), int(text[3:5] or 0), int(text[5:7] or 0)
        tz = dt.timezone(sign * dt.timedelta(hours=hh, minutes=mm, seconds=ss))
    try:
        when = dt.datetime(max(year, 1), month, day, hour, minute, second, nanos // 1000,
                           tzinfo=tz)
        if "yday" in g:
            when = when.replace(month=1, day=1) + dt.timedelta(days=int(g["yday"]) - 1)
    except ValueError as exc:
        raise GoFuncError(f"parsing time {quote(value)}: {exc}") from None
    return GoTime(when, nanos)


# ----------------------------------------------------------------------------- durations

_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
          "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}


def parse_duration(s: str) -> int:
    """`time.ParseDuration` in nanoseconds."""
    orig = s
    neg = False
    if s[:1] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise GoFuncError(f"time: invalid duration {quote(orig)}")
    total = 0.0
    for m in re.finditer(r"(\d*\.?\d*)([a-zµμ]*)", s):
        if not m.group(0):
            continue
        num, unit = m.groups()
        if num in ("", ".") or not unit:
            raise GoFuncError(f"time: missing unit in duration {quote(orig)}"
                              if num not in ("", ".") else f"time: invalid duration {quote(orig)}")
        if unit not in _UNITS:
            raise GoFuncError(f"time: unknown unit {quote(unit)} in duration {quote(orig)}")
        total += float(num) * _UNITS[unit]
    if "".join(m.group(0) for m in re.finditer(r"(\d*\.?\d*)([a-zµμ]*)", s)) != s:
        raise GoFuncError(f"time: invalid duration {quote(orig)}")
    return -int(total) if neg else int(total)


def format_duration(d: int) -> str:
    """`time.Duration.String()`."""
    if d == 0:
        return "0s"
    neg = d < 0
    u = abs(d)
    if u < 1_000_000_000:
        if u < 1_000:
            text = f"{u}ns"
        elif u < 1_000_000:
            text = _frac(u, 3) + "µs"
        else:
            text = _frac(u, 6) + "ms"
    else:
        secs_text = _frac(u % 60_000_000_000, 9) + "s"
        u //= 60_000_000_000
        text = secs_text
        if u > 0:
            text = f"{u % 60}m" + text
            u //= 60
            if u > 0:
                text = f"{u}h" + text
    return ("-" if neg else "") + text


def _frac(v: int, prec: int) -> str:
    whole, frac = divmod(v, 10**prec)
    digits = f"{frac:0{prec}d}".rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


# ----------------------------------------------------------------------------- functions


def _as_time(date: Any) -> GoTime:
    if isinstance(date, GoTime):
        return date
    if isinstance(date, int) and not isinstance(date, bool) and (
        type(date) is int or getattr(date, "gotype", "") in ("int64", "int32")
    ):
        return GoTime(dt.datetime.fromtimestamp(int(date), UTC), 0)
    return now()


def _zone(name: str) -> dt.tzinfo:
    if name in ("Local", "UTC", ""):
        return UTC
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:
        return UTC


@register("now")
def _now() -> GoTime:
    return now()


@register("dateInZone", [STRING, ANY, STRING], aliases=["date_in_zone"])
def _date_in_zone(fmt: str, date: Any, zone: str) -> str:
    t = _as_time(date)
    return format_time(GoTime(t.when.astimezone(_zone(zone)), t.nanos), fmt)


@register("date", [STRING, ANY])
def _date(fmt: str, date: Any) -> str:
    return _date_in_zone(fmt, date, "Local")


@register("htmlDate", [ANY])
def _html_date(date: Any) -> str:
    return _date_in_zone("2006-01-02", date, "Local")


@register("htmlDateInZone", [ANY, STRING])
def _html_date_in_zone(date: Any, zone: str) -> str:
    return _date_in_zone("2006-01-02", date, zone)


def _shift(t: GoTime, nanos: int) -> GoTime:
    total = t.nanos + nanos
    secs, rem = divmod(total, 1_000_000_000)
    when = t.when.replace(microsecond=0) + dt.timedelta(seconds=secs)
    return GoTime(when.replace(microsecond=rem // 1000), rem)


@register("dateModify", [STRING, TIME], aliases=["date_modify"])
def _date_modify(fmt: str, date: GoTime) -> GoTime:
    try:
        return _shift(date, parse_duration(fmt))
    except GoFuncError:
        return date


@register("mustDateModify", [STRING, TIME], aliases=["must_date_modify"])
def _must_date_modify(fmt: str, date: GoTime) -> GoTime:
    return _shift(date, parse_duration(fmt))


def _since(t: GoTime) -> int:
    n = now()
    delta = n.when - t.when
    return int(delta.total_seconds()) * 1_000_000_000 + (n.nanos - t.nanos) % 1_000_000_000


@register("ago", [ANY])
def _ago(date: Any) -> str:
    d = _since(_as_time(date))
    return format_duration(round(d / 1e9) * 1_000_000_000)


@register("duration", [ANY])
def _duration(sec: Any) -> str:
    n = 0
    if isinstance(sec, str):
        try:
            n = int(sec, 10) if sec.lstrip("+-").isdigit() else 0
        except ValueError:
            n = 0
    elif isinstance(sec, Int64):
        n = int(sec)
    return format_duration(n * 1_000_000_000)


@register("durationRound", [ANY])
def _duration_round(duration: Any) -> str:
    d = 0
    if isinstance(duration, str):
        try:
            d = parse_duration(duration)
        except GoFuncError:
            d = 0
    elif isinstance(duration, Int64):
        d = int(duration)
    elif isinstance(duration, GoTime):
        d = _since(duration)
    u = abs(d)
    year = 3_600_000_000_000 * 24 * 365
    for size, suffix in ((year, "y"), (3_600_000_000_000 * 24 * 30, "mo"),
                         (3_600_000_000_000 * 24, "d"), (3_600_000_000_000, "h"),
                         (60_000_000_000, "m"), (1_000_000_000, "s")):
        if u > size:
            return f"{u // size}{suffix}"
    return "0s"


@register("toDate", [STRING, STRING])
def _to_date(fmt: str, s: str) -> GoTime:
    try:
        return parse_time(fmt, s)
    except GoFuncError:
        return ZERO_TIME


@register("mustToDate", [STRING, STRING])
def _must_to_date(fmt: str, s: str) -> GoTime:
    return parse_time(fmt, s)


@register("unixEpoch", [TIME])
def _unix_epoch(date: GoTime) -> str:
    return str(date.unix())
