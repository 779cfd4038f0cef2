"""Shared building blocks: errors, YAML, snapshots, configuration, subprocesses."""
