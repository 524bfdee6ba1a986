"""``python -m convshape``."""

from convshape.cli.main import main

main(prog_name="convshape")
