"""Assess a repository (practices with evidence, facts, a score) and compare two of them."""
