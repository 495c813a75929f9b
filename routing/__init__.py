"""Routing: the Hanoi ward gazetteer, the agent registry, nearest-agent search and coverage.

Python API (see docs/ARCHITECTURE.md): ``routing.gazetteer.get_gazetteer``,
``routing.service.get_routing``, ``routing.answers.find_agent_answer``, ``routing.api.router``.
"""
