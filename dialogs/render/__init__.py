"""dialogs/render."""
