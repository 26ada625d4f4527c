"""dialogs/staff."""
