"""The analyses: rank, structure, propagate, paths, targets, diagnose, compare."""
