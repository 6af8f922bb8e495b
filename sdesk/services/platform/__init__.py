"""The platform layer under every feature: database, cache, audit log, costs, reference data.

It imports no feature (a test enforces it); features import its modules directly.
"""
