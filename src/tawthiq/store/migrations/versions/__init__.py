"""Migration scripts; a package so installed wheels carry them."""
