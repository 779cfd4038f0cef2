"""Secrets in Git: SOPS value files (age keys) and Sealed Secrets, offline."""
