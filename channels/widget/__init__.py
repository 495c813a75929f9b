"""The embeddable web chat widget: ``widget.js``, its WebSocket, history, HTTP fallback, demo page."""
