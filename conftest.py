"""Doctest collection: the compiled kernels' module needs numba (the ``fast`` extra)."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("numba") else ["src/stakegraph/analysis/_jit.py"]
