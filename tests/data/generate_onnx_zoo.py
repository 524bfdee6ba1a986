"""Export the tests/onnx_zoo.py models with torch's dynamo exporter (``torch.onnx.export(...,
dynamo=True)``, which needs onnxscript: not in CI, so the files are committed) into
tests/data/onnx_zoo/<name>_dynamo.onnx, with the spatial axes dynamic (torch.export.Dim.AUTO).
A model the exporter refuses is left out and listed in manifest.json with the reason. Also the
README's example models, examples/models/unet.onnx and googlenet.onnx (its ceil_mode pools, for
``--compare`` with torch): the zoo's U-Net and GoogLeNet through the TorchScript exporter (opset 17,
N, H and W dynamic).

    python tests/data/generate_onnx_zoo.py
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    if "--examples" in sys.argv:  # only the README's example models
        examples_only()
        return
    import onnx
    import torch

    import onnx_zoo

    warnings.filterwarnings("ignore")
    out = HERE / "onnx_zoo"
    out.mkdir(exist_ok=True)
    manifest: dict[str, object] = {"generator": "tests/data/generate_onnx_zoo.py", "torch": torch.__version__,
                                   "onnx": onnx.__version__, "models": {}, "refused": {}}
    for name in onnx_zoo.NAMES:
        factory, rank, channels, sizes = onnx_zoo._models()[name]
        torch.manual_seed(0)
        model = factory().eval()
        spatial = (1,) * rank if name == "dcgan_generator" else (32,) * rank
        example = torch.zeros((1, channels) + spatial)
        shapes = (dict.fromkeys(range(2, 2 + rank), torch.export.Dim.AUTO),)
        path = out / f"{name}_dynamo.onnx"
        try:
            program = torch.onnx.export(model, (example,), dynamo=True, dynamic_shapes=shapes, input_names=["x"],
                                        output_names=["y"], optimize=True, verbose=False)
            assert program is not None
            program.save(str(path))
        except Exception as exc:  # noqa: BLE001 - the exporter's refusals are recorded, not fatal
            manifest["refused"][name] = str(exc).splitlines()[0][:300]  # type: ignore[index]
            continue
        m = onnx.load(str(path))
        dims = [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
        manifest["models"][name] = {"file": path.name, "input": dims, "sizes": [sizes.start, sizes.stop - 1],  # type: ignore[index]
                                    "opset": next(o.version for o in m.opset_import if o.domain in ("", "ai.onnx")),
                                    "bytes": path.stat().st_size}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    examples_only()


def examples_only() -> None:
    import onnx_zoo

    examples = HERE.parent.parent / "examples" / "models"
    examples.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("unet", "googlenet"):
            onnx_zoo.export(name, str(examples / f"{name}.onnx"), opset=17)


if __name__ == "__main__":
    main()
