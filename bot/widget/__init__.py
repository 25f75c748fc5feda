"""The public chat API and the embeddable web widget."""
