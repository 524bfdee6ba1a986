"""The command-line interface: a thin Click layer over the API (``convshape.api``, ``convshape.network``)."""

import gc

# Start-up (``convshape conv2d --json`` is held within 1.25x of ``python -c "import click"``,
# benchmarks/bench_cli.py). The CLI's imports (click and this package) allocate tens of thousands of
# objects that live as long as the process: the cyclic garbage collector finds nothing to free among
# them, yet walks them again and again while they load, and after, in every collection of its oldest
# generation. So it is paused while they import, and they are then moved out of its way (gc.freeze:
# the objects alive now are never examined again; those made later are collected as usual).
_collecting = gc.isenabled()
gc.disable()
try:
    from convshape.cli.main import COMMANDS, main
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

__all__ = ["COMMANDS", "main"]
