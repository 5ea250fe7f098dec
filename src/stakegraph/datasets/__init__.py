"""Embedded example accounts and real organisational network data."""
