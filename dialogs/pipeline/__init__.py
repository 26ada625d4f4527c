"""dialogs/pipeline."""
