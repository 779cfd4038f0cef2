"""One error hierarchy; the CLI maps it to exit codes in one place."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # lint findings at error level, or differences with --exit-code
    BAD_INPUT = 2  # bad input or usage
    INTERNAL = 3  # a bug in argoplane


class ArgoplaneError(Exception):
    """Base of every error argoplane reports to the user."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class InputError(ArgoplaneError):
    """The user's repository or arguments are wrong (exit 2)."""


class YAMLError(InputError):
    """A file is not valid YAML or JSON."""


class ManifestError(InputError):
    """An Argo CD manifest is malformed (missing field, wrong type)."""


class PathEscapeError(InputError):
    """A path resolves outside the repository."""


class TemplateError(InputError):
    """An ApplicationSet template or generator could not be evaluated."""


class GeneratorError(TemplateError):
    """A generator is misconfigured or unsupported."""


class RenderError(InputError):
    """A source (helm, kustomize, directory) failed to render."""


class ToolError(RenderError):
    """An external tool (helm, kustomize, git, sops) failed."""

    def __init__(self, command: list[str], returncode: int, stderr: str):
        tail = stderr.strip().splitlines()
        reason = tail[-1] if tail else f"exit code {returncode}"
        super().__init__(f"`{' '.join(command[:3])}` failed: {reason}")
        self.command = command
        self.returncode = returncode
        self.stderr = stderr


class CycleError(InputError):
    """App-of-Apps recursion reached an Application that is already being expanded."""
