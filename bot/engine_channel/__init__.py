"""Rasa input channels; imported by the Rasa server (engine environment), not by the app."""
