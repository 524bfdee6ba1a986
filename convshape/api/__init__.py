"""convshape.api.conv."""
