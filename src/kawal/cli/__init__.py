"""The ``kawal`` command line."""

from kawal.cli.main import main

__all__ = ["main"]
