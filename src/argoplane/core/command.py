"""The one gateway for running external tools (helm, kustomize, git, sops)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from argoplane.core.errors import ToolError

DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    ok_codes: Sequence[int] = (0,),
    env: dict[str, str] | None = None,
) -> Result:
    """Run a command, raise ToolError (command and stderr) on an unexpected exit code."""
    argv = [str(c) for c in command]
    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise ToolError(argv, 127, f"{argv[0]}: command not found") from None
    except subprocess.TimeoutExpired:
        raise ToolError(argv, -1, f"timed out after {timeout:.0f}s") from None
    if proc.returncode not in ok_codes:
        raise ToolError(argv, proc.returncode, proc.stderr)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def run_interactive(command: Sequence[str], *, cwd: Path | None = None,
                    env: dict[str, str] | None = None) -> int:
    """Run a command on the user's terminal (an editor) and return its exit code."""
    argv = [str(c) for c in command]
    try:
        return subprocess.run(argv, cwd=cwd, env=env, check=False).returncode
    except FileNotFoundError:
        raise ToolError(argv, 127, f"{argv[0]}: command not found") from None
