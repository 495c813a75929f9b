"""Care centre: complaints with ticket codes, human handoff, satisfaction ratings, staff console.

Everything is stored through the one SQLAlchemy layer (:mod:`dvcbot.db`); the action server files
complaints through :mod:`care.tickets`, the gateway asks :func:`care.handoff.active_handoff` before
letting the bot answer, and the staff console (:mod:`care.console`) is a set of routers.
"""
