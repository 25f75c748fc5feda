"""Custom Rasa NLU components (engine environment: stdlib, Rasa, spaCy and lingua only)."""
