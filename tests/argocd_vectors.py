"""Evaluate Argo CD behaviour vectors through argoplane's own code.

    python tests/argocd_vectors.py eval FILE.json

prints `[{"id": ..., "result": ...} | {"id": ..., "error": "..."}]` as JSON, one entry per
case, in file order. The format of the vector files is described in
`shared/vectors/argocd/README.md`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from vectorkinds import all_kinds


def evaluate(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds = all_kinds()
    out: list[dict[str, Any]] = []
    for case in cases:
        fn = kinds.get(case["kind"])
        if fn is None:
            out.append({"id": case["id"], "error": f"unsupported vector kind {case['kind']!r}"})
            continue
        try:
            out.append({"id": case["id"], "result": fn(case["input"])})
        except Exception as exc:  # the error text is the result being compared
            out.append({"id": case["id"], "error": str(exc) or type(exc).__name__})
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "eval":
        print("usage: python tests/argocd_vectors.py eval FILE.json", file=sys.stderr)
        return 2
    cases = json.loads(Path(argv[2]).read_text())
    json.dump(evaluate(cases), sys.stdout, indent=1, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
