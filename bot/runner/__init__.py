"""Start, watch and stop the processes of the assistant (Rasa, actions, web, Telegram)."""
