"""The pages of the main window, one controller widget each."""
