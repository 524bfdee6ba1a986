"""convshape.network."""
