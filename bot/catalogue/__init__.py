"""The services catalogue: HSDS-shaped models, repository, search, opening hours, import/export."""
