"""The admin web interface: catalogue editing, translations, freshness, insight, audit."""
