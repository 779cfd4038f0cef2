"""Writers leave whole files or no change: never a half-written file or a stray temp file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from argoplane.core.files import write_atomic
from argoplane.layout.plan import Change, Plan, describe, summary
from argoplane.layout.writer import apply


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "tag.yaml"
    target.write_text("image:\n  tag: 1.0.0\n")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "image:\n  tag: 2.0.0\n")
    assert target.read_text() == "image:\n  tag: 1.0.0\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tag.yaml"]


def test_a_plan_interrupted_midway_leaves_only_whole_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = Plan(tmp_path, [Change(f"d/f{i}.yaml", "create", f"n: {i}\n") for i in range(5)])
    real = os.replace
    calls = []

    def flaky(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(KeyboardInterrupt):
        apply(plan)
    files = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert files == ["f0.yaml", "f1.yaml"]
    assert all((tmp_path / "d" / f).read_text().startswith("n: ") for f in files)


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_text("old")
    target.chmod(0o750)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o750


def test_large_plans_write_the_last_change_after_all_others(tmp_path: Path) -> None:
    changes = [Change(f"svc{i}/values.yaml", "create", "x: 1\n") for i in range(100)]
    changes.append(Change("platform.yaml", "create", "name: p\n"))
    written = apply(Plan(tmp_path, changes))
    assert written[-1] == "platform.yaml"
    assert len(list(tmp_path.glob("svc*/values.yaml"))) == 100


def test_the_plan_shows_new_service_folders_as_one_line(tmp_path: Path) -> None:
    (tmp_path / "argocd-projects").mkdir()
    plan = Plan(tmp_path, [
        *(Change(f"applications/shop/cart/f{i}.yaml", "create", "") for i in range(9)),
        Change("argocd-projects/dev.yaml", "create", ""),
        Change("README.md", "update", "", "+1 line"),
    ])
    assert describe(plan) == [
        "  + applications/shop/cart/  (9 files)",
        "  + argocd-projects/dev.yaml",
        "  ~ README.md  +1 line",
    ]
    assert len(describe(plan, every_file=True)) == 11
    assert summary(plan) == "10 files to create, 1 to change"
    assert summary(Plan(tmp_path)) == "nothing to do"
