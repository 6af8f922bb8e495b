"""Import/Export: exchange-format sources into the database."""
