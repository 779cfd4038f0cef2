"""Lint output formats: each is a pure function from a LintReport to text."""
