"""Dialogs: first start, import."""
