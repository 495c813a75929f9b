"""Citizen channels on the gateway's turn service: the Zalo Official Account and the web widget.

Each channel is a thin adapter: it turns its events into :class:`gateway.turns.TurnRequest`s,
renders the replies for its medium and registers a delivery on :class:`gateway.outbound.Outbound`
for messages sent outside a turn (staff replies, the satisfaction question).
"""
