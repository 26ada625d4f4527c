"""dialogs/rules."""
