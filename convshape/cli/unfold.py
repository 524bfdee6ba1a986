"""The unfold / fold commands: a thin Click layer over :mod:`convshape.api.unfold`."""

from __future__ import annotations

import click

from convshape.cli.common import FrameworkChoice, epilog, formulas_option, layer_args, run


def make_unfold(folding: bool) -> click.Command:
    name = "fold" if folding else "unfold"

    @click.command(name, epilog=epilog(
        "fold --i 2x12x20 --o 5,6 --k 2" if folding else "unfold --i 1x3x224x224 --k 16 --s 16"))
    @click.option("--i", "--input", "input", required=True, metavar="SHAPE",
                  help=("The column tensor (N, C·∏k, L) or (C·∏k, L), e.g. 2x12x20." if folding else
                        "The whole input tensor (N, C, H, W) or (C, H, W), e.g. 1x3x224x224; -f tf: (N, H, W, C)."))
    @click.option("--o", "--output-size", "output_size", required=folding, default=None, metavar="H[,W]",
                  help="The folded tensor's spatial size (output_size)." if folding else "Not used by unfold.",
                  hidden=not folding)
    @click.option("--k", "--kernel", "kernel", required=True, metavar="K[,K]", help="Kernel size (kernel_size).")
    @click.option("--s", "--stride", "stride", default="1", show_default=True, metavar="S[,S]", help="Stride.")
    @click.option("--p", "--padding", "padding", default="0", show_default=True, metavar="P[,P]",
                  help="Zero padding on both sides of each spatial axis; -f tf: 'valid' or 'same' "
                       "(tf.image.extract_patches' padding).")
    @click.option("--d", "--dilation", "dilation", default="1", show_default=True, metavar="D[,D]", help="Dilation.")
    @click.option("-f", "--framework", "framework", default="torch", show_default=True, type=FrameworkChoice(),
                  help="Whose rules to apply (torch: nn.Unfold / nn.Fold; tf: tf.image.extract_patches, "
                       "padding 'valid' / 'same' (0 is 'valid'), unfold only).")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    @formulas_option
    def command(input: str, output_size: str | None, kernel: str, stride: str, padding: str, dilation: str,
                framework: str, as_json: bool, formulas: bool) -> None:
        from convshape.api import unfold as api

        if folding and formulas:
            from convshape.cli.common import CliError
            from convshape.errors import Rule

            raise CliError("--formulas is for unfold: fold's output size is the output_size it is given",
                           Rule.OPTION_NOT_APPLICABLE, as_json=as_json)
        if folding:
            run(as_json, lambda: api.fold(input, output_size, kernel, stride, padding, dilation, framework=framework),
                "render.unfold.unfold_report")
        else:
            run(as_json, lambda: api.unfold(input, kernel, stride, padding, dilation, framework=framework),
                "render.unfold.unfold_report", formulas=layer_args(formulas))

    command.help = ("Fold (col2im, torch nn.Fold): columns (N, C·∏k, L) back to (N, C, *output_size); C·∏k must "
                    "divide by ∏k and L must equal the sliding blocks of output_size." if folding else
                    "Unfold (im2col, torch nn.Unfold): (N, C, H, W) to columns (N, C·∏k, L), one column per "
                    "sliding block, L = the blocks per axis multiplied (a convolution's output formula).")
    return command
