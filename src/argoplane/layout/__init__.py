"""Scaffold and grow repositories in the reference layout: inventory, templates, plans."""
