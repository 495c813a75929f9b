"""The Zalo Official Account channel (webhook, durable inbox, OA message API client)."""
