"""Sources -> Kubernetes manifests: helm, kustomize, directories, and the App-of-Apps walk."""
