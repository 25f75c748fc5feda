"""The ASGI web app: NLG endpoint, health, API, desk and public widgets, admin."""
