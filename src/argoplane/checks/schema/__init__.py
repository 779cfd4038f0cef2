"""Structural schemas for Argo CD's own kinds, and the checker that applies them."""
