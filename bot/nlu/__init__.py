"""Custom Rasa NLU components (engine environment: stdlib, Rasa, spaCy and lingua only).

`text_vector` is the one module the app reads too (numpy only): the sentence vector the
pipeline hands to the actions.
"""
