"""Begroting: begroting versus realisatie and prognose per budget line."""
