"""Record what jax.image.resize says for output sizes at and beyond the integer limits.

Writes ``observed_jax_limits.json`` next to this file. Not run by the test suite (it needs jax,
which the project does not depend on). Run it by hand, for example::

    /work/venv-tf/bin/python tests/data/generate_jax_limits.py

Each record: ``mode``, ``input`` (the spatial size of a (1, 1, input) float32 array), ``size``
(the last axis of the shape passed to ``jax.image.resize``) and ``result``: ``{"output": n}``
(from ``jax.eval_shape``: no array of that size is allocated) or ``{"error": "<Type>: <first line>"}``.
jax runs with its defaults (``jax_enable_x64`` off), on the CPU.
"""

import json
import os
import platform
import warnings

os.environ.setdefault("JAX_PLATFORMS", "cpu")
warnings.filterwarnings("ignore")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

SIZES = [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**32, 2**62, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64]
MODES = ["nearest", "linear", "cubic", "lanczos3", "lanczos5"]


def run(mode: str, size: int) -> dict:
    x = jnp.zeros((1, 1, 8), jnp.float32)
    try:
        out = jax.eval_shape(lambda a: jax.image.resize(a, (1, 1, size), mode), x)
        return {"output": int(out.shape[-1])}
    except Exception as exc:  # noqa: BLE001 - the message is the observation
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}


def main() -> None:
    records = [{"mode": m, "input": 8, "size": s, "result": run(m, s)} for m in MODES for s in SIZES]
    out = {"versions": {"jax": jax.__version__, "python": platform.python_version(),
                        "jax_enable_x64": bool(jax.config.jax_enable_x64)},
           "records": records}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "observed_jax_limits.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{len(records)} records -> {path}")


if __name__ == "__main__":
    main()
