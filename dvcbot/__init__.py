"""dvcbot: shared core (settings, Vietnamese text normalisation, CLI, logging)."""
