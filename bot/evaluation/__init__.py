"""Evaluation reports on held-out data (`make eval`): intents and service search."""
