"""What `argoplane init` writes, as code: the service chart and every generated file."""
