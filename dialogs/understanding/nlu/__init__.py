"""Understanding free text: the language, the intent and the details of a message."""
