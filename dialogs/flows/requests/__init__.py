"""dialogs/flows/requests."""
