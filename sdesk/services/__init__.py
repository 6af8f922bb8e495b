"""Use cases and computations. Never imports Qt (a test enforces it)."""
