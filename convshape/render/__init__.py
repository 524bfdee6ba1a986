"""convshape.render.conv."""
