"""argoplane: the offline control plane for Argo CD GitOps repositories."""

__version__ = "0.1.0"
