"""Phone numbers as residents and channels give them (the one parser lives in storage)."""

from __future__ import annotations

from storage.phones import country_language, e164

__all__ = ["country_language", "e164"]
