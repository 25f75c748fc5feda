"""Custom Rasa actions, one per module; they return response names and variables, never text."""
