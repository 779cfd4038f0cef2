"""The lint rules, one module per family; `argoplane.checks.registry` lists them all."""
