"""Afschaling: the worklist, the what-if, the decision and the business case."""
