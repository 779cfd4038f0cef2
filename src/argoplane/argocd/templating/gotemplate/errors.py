"""Errors raised by the Go template engine."""

from __future__ import annotations


class GoTemplateError(Exception):
    """Base class of every error of the Go template engine."""


class GoTemplateParseError(GoTemplateError):
    """The template text is not a valid Go template (Go's `Parse` error)."""


class GoTemplateExecError(GoTemplateError):
    """Executing the template failed (Go's `Execute` error, an `ExecError`)."""


class GoFuncError(Exception):
    """Raised by a template function; the executor reports `error calling NAME: <message>`.

    It stands both for a Go function's returned error and for a recovered panic.
    """
