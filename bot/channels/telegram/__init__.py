"""The Telegram channel on python-telegram-bot: polling or webhook, inline keyboards."""
