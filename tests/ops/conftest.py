"""The fake Bot API and the fake Twilio for these tests."""

from tests.channel_fixtures import fake, twilio

__all__ = ["fake", "twilio"]
