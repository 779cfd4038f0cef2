"""`argoplane migrate`: a one-Application-per-service repository moved to the reference layout
phase by phase (appsets, app-of-apps, environments, secrets, projects, regions), each phase
planned on a scratch copy, rendered, and proved against the original before anything is
written."""
