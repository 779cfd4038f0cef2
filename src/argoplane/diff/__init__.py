"""Compare two RenderedTrees: which Applications appear, disappear or change, and how each
Kubernetes resource they deploy changes."""
