"""What the assistant says and decides, independent of any transport."""
