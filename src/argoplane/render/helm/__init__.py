"""Helm sources: value files as Argo CD resolves them, rendered in process or by the binary."""
