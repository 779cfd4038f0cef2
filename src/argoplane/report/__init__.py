"""Presentations of argoplane's results: pure functions from data to text."""
