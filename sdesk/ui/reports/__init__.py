"""Printable reports (PDF) made with Qt's own PDF writer."""
