"""``python -m convshape``."""

from .cli import main

main(prog_name="convshape")
