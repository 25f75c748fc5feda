"""Rasa's conversation lock, made safe for several Rasa servers sharing one Redis."""
