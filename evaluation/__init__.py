"""Evaluations that span the whole stack (conversation-level measure)."""
