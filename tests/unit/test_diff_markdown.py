"""The merge request comment: its structure, and how it stays under the size limit."""

from __future__ import annotations

import re

from argoplane.diff.model import AppChange, ResourceChange, Side, TreeDiff
from argoplane.report.diff_markdown import diff_markdown


def change(app: str, name: str, lines: int) -> ResourceChange:
    body = "@@ -1 +1 @@\n" + "\n".join(f"+  line{i}: {'x' * 40}" for i in range(lines))
    return ResourceChange("added", app, "v1", "ConfigMap", "ns", name, diff=body)


def tree_diff(*apps: tuple[str, list[int]]) -> TreeDiff:
    out = TreeDiff(base=Side("main (abc1234)", "main"), head=Side("working tree"), unchanged=5)
    for name, sizes in apps:
        app = AppChange(name, "changed", project="default")
        app.resources = [change(name, f"cm{i}", n) for i, n in enumerate(sizes)]
        out.apps.append(app)
    return out


def test_no_differences() -> None:
    md = diff_markdown(TreeDiff(Side("main"), Side("working tree"), unchanged=3))
    assert md == ("### argoplane diff\n\n`main` → `working tree`\n\n"
                  "No differences: 3 applications unchanged.\n")


def test_one_details_block_per_app_with_one_diff_block() -> None:
    md = diff_markdown(tree_diff(("web", [2, 3]), ("db", [1])))
    assert md.count("<details>") == md.count("</details>") == 2
    assert md.count("```diff\n") == 2
    assert "| Applications | 0 | 0 | 2 | 5 |\n| Resources | 3 | 0 | 0 | |\n" in md
    assert "# + ConfigMap ns/cm1 (added)\n@@ -1 +1 @@\n" in md


def test_a_fence_longer_than_any_backticks_in_the_diff() -> None:
    out = tree_diff(("web", [1]))
    out.apps[0].resources = [ResourceChange("modified", "web", "v1", "ConfigMap", "ns", "x",
                                            diff="+  doc: '```yaml'")]
    md = diff_markdown(out)
    assert "````diff\n" in md
    assert re.search(r"^````$", md, flags=re.M)


def test_small_diffs_stay_whole_and_large_ones_are_cut_first() -> None:
    out = tree_diff(("big", [400, 300]), ("small", [3]), ("medium", [40]))
    md = diff_markdown(out, max_chars=10_000)
    assert len(md) <= 10_000
    assert "line2: " in md.split("<b>small</b>")[1]  # the 3-line diff is untouched
    assert "line39: " in md.split("<b>medium</b>")[1]
    assert "> Cut to stay under the comment size limit: 2 diffs truncated, largest first." in md
    assert "> - big: + ConfigMap ns/cm0 (added), " in md
    assert "> - big: + ConfigMap ns/cm1 (added), " in md
    assert md.count("… ") == 2


def test_apps_lose_their_details_when_cutting_diffs_is_not_enough() -> None:
    out = tree_diff(*((f"app{i:02d}", [30]) for i in range(60)))
    md = diff_markdown(out, max_chars=4_000)
    assert len(md) <= 4_000
    assert md.startswith("### argoplane diff\n")
    assert "| Applications | 0 | 0 | 60 | 5 |" in md
    assert "shown without details:" in md
    assert md.count("<details>") == md.count("</details>")
