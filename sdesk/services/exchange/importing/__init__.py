"""Reading, checking and writing exchange-format v1 files (DESIGN section 3)."""
