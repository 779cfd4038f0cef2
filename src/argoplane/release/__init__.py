"""Image tags through environments: set-image, promote, the tag matrix and drift."""
