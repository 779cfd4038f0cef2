"""Argo CD's objects and rules, as pure functions over data."""
