"""Channel adapters (Telegram, web) and the client they share to talk to the Rasa engine."""
