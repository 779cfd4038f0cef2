"""The HTML reports open in headless Chromium without a console error or a network request."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from argoplane.core import command
from tests.conftest import VIGO, Run
from tests.unit.test_assess_practices import MICRO

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="chromium is not installed (apt-get install chromium)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]


def screenshot(html: str, tmp_path: Path, height: int) -> tuple[Path, list[str]]:
    """Open the page, screenshot it; returns the PNG and the console/network log lines."""
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "report.png"
    result = command.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         f"--window-size=1280,{height}", f"--screenshot={shot}", page.as_uri()],
        timeout=120)
    problems = [line for line in result.stderr.splitlines()
                if ":CONSOLE" in line or "Uncaught" in line or "net::ERR" in line
                or "Content Security Policy" in line]
    return shot, problems


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_compare_report_renders_without_console_errors(cli: Any, tmp_path: Path) -> None:
    result: Run = cli("compare", VIGO, MICRO, "-o", "html", "--names", "VIGO,Current")
    assert result.code == 0, result.err
    shot, problems = screenshot(result.out, tmp_path, 2400)
    assert problems == []
    assert png_size(shot) == (1280, 2400)
    assert shot.stat().st_size > 100_000  # a page of charts, tables and code, not a blank one


def test_assess_report_renders_without_console_errors(cli: Any, tmp_path: Path) -> None:
    result: Run = cli("assess", VIGO, "-o", "html")
    assert result.code == 0, result.err
    shot, problems = screenshot(result.out, tmp_path, 1600)
    assert problems == []
    assert png_size(shot) == (1280, 1600)
    assert shot.stat().st_size > 50_000


def test_the_check_catches_a_page_that_fetches(tmp_path: Path) -> None:
    """The console check itself: a page that tries to load an image is caught."""
    from argoplane.report.html import page

    html = page("bad", '<img src="https://example.com/logo.png" alt="">')
    _, problems = screenshot(html, tmp_path, 400)
    assert any("example.com/logo.png" in line for line in problems)
