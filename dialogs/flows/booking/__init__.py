"""dialogs/flows/booking."""
