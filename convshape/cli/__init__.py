"""The command-line interface: a thin Click layer over the API (``convshape.api``, ``convshape.network``)."""

from convshape.cli.main import COMMANDS, main

__all__ = ["COMMANDS", "main"]
