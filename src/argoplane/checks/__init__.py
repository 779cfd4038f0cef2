"""Lint: rules over the rendered tree and the repository, a registry, and output formats."""
