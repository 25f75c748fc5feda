"""The Telegram channel: a thin python-telegram-bot adapter in front of the Rasa engine."""
