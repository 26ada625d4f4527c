"""dialogs/understanding."""
