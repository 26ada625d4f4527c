"""How the assistant meets the world: CLI, settings, channels."""
