"""dialogs/core."""
