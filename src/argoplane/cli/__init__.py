"""The command line: one module per command; parse, call the core, present."""
