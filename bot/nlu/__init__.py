"""Custom Rasa NLU components (engine environment: stdlib, Rasa, spaCy and lingua only).

Two modules are read by the app too: `text_vector` (numpy only), the sentence vector the
pipeline hands to the actions, and `text_folding` (standard library), the one spelling per
word that the catalogue search shares with the NLU features.
"""
