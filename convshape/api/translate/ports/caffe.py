"""Ports to Caffe (BVLC): ``Convolution`` / ``Deconvolution`` layers pad both sides alike (``pad``, or
``pad_h`` / ``pad_w``; caffe/src/caffe/layers/base_conv_layer.cpp ``LayerSetUp``); Caffe has no padding
layer, so an asymmetric split has no exact port, and Deconvolution has no output_padding
(deconv_layer.cpp ``compute_output_shape``: ``stride*(in-1) + kernel_extent - 2*pad``)."""

from __future__ import annotations

from typing import Any

from convshape.api.translate import Exactness, Geometry, Layout, Ported, Step


class CaffePort:
    def __init__(self, name: str) -> None:
        self.name = name

    def _layer(self, g: Geometry, pads: tuple[int, ...]) -> tuple[Step, str]:
        kind = "Deconvolution" if g.transposed else "Convolution"
        params: list[tuple[str, object]] = [("num_output", g.out_channels)]
        if g.ndim == 2 and len(set(pads)) > 1:
            params += [("pad_h", pads[0]), ("pad_w", pads[1])]
        else:
            params += [("pad", pads[0] if len(set(pads)) == 1 else pads)]
        params += [("kernel_size", g.kernel[0] if len(set(g.kernel)) == 1 else g.kernel),
                   ("stride", g.stride[0] if len(set(g.stride)) == 1 else g.stride),
                   ("dilation", g.dilation[0] if len(set(g.dilation)) == 1 else g.dilation), ("group", g.groups)]
        text = []
        for k, v in params:
            for item in (v if isinstance(v, tuple) else (v,)):
                text.append(f"{k}: {item}")
        proto = (f'layer {{ name: "conv" type: "{kind}" bottom: "data" top: "conv"\n'
                 f'  {"convolution_param"} {{ {" ".join(text)} }} }}')
        return Step("layer", kind, tuple(params)), proto

    def _port(self, g: Geometry, weight: Layout, symmetric: bool, what: str) -> Ported:
        step, proto = self._layer(g, tuple(max(p, 0) for p in g.pad_before))
        code = "\n".join([f"# prototxt\n{proto}", f"# weights (pycaffe)\n{weight.code}",
                          "net.params['conv'][0].data[...] = w_caffe", "net.params['conv'][1].data[...] = b"])
        if symmetric:
            return Ported((step,), code)
        return Ported((step,), code, exact=False, reason=f"Caffe pads both sides alike and has no padding layer; "
                                                         f"the source {what}")

    def conv(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        symmetric = all(b == a >= 0 for b, a in zip(g.pad_before, g.pad_after))
        split = ", ".join(f"{b}:{a}" for b, a in zip(g.pad_before, g.pad_after))
        return self._port(g, weight, symmetric, f"pads {split} (before:after); closest: pad = the before side")

    def conv_transpose(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        symmetric = all(b == a - op >= 0 for b, a, op in zip(g.pad_before, g.pad_after, g.output_padding))
        return self._port(g, weight, symmetric, "crops its transposed output unevenly (or has output_padding); "
                                                "closest: pad = the cropped start")


    def _pool(self, g: Geometry, plan: Any, kind: str) -> Ported:
        """Pooling (pool: MAX / AVE) with ``pad_h`` / ``pad_w`` and ``round_mode`` as the plan found them
        (caffe.proto PoolingParameter; pooling_layer.cpp)."""
        pads, ceil = plan.caffe
        n = g.ndim
        names = ("_h", "_w") if n == 2 else ("",) * n
        params: list[tuple[str, object]] = [("pool", "MAX" if kind == "max" else "AVE")]
        for what, values in (("kernel", g.kernel), ("stride", g.stride), ("pad", pads)):
            params += [(f"{what}{suffix}" if n == 2 else f"{what}_size" if what == "kernel" else what, v)
                       for suffix, v in zip(names, values)]
        params.append(("round_mode", "CEIL" if ceil else "FLOOR"))
        text = " ".join(f"{k}: {v}" for k, v in params)
        proto = (f'layer {{ name: "pool" type: "Pooling" bottom: "data" top: "pool"\n'
                 f"  pooling_param {{ {text} }} }}")
        return Ported((Step("layer", "Pooling", tuple(params)),), f"# prototxt\n{proto}")

    def max_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "max")

    def avg_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "avg")

    def pixel_shuffle(self, s: Any, perm: tuple[int, ...] | None) -> Ported:
        from convshape.errors import Rule, ShapeError

        raise ShapeError("BVLC Caffe has no depth-to-space layer to port a pixel shuffle to", framework="caffe",
                         rule=Rule.NOT_IN_FRAMEWORK, values={"framework": "caffe"})


def port(name: str) -> CaffePort:
    return CaffePort(name)
