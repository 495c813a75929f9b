"""Gateway: the single public entry point for the channels (web widget, Zalo, voice)."""
