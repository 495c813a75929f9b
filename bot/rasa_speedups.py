"""Avoidable per-message work in Rasa 3.6, removed without changing what Rasa does.

``RemoteAction._validate_action_result`` calls ``jsonschema.validate(result, schema)`` for every
response of the action server. ``jsonschema.validate`` first checks the (large, constant) schema
against the JSON-Schema meta-schema and builds a new validator, every time: py-spy showed 55 % of
Rasa's busy time under load there (``benchmarks/rasa_workers.py``, docs/EVALUATION.md). Here the
schema is checked and the validator built once; each response is still validated against the same
schema, and an invalid one raises the same ``ValidationError`` (the best match, as
``jsonschema.validate`` raises) with Rasa's hint appended.

Installed by ``bot/dvcbot_channel.py`` when Rasa loads the channel (before any message).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Patch Rasa; ``DVCBOT_RASA_SPEEDUPS=0`` leaves it as shipped (the benchmark's baseline)."""
    if os.environ.get("DVCBOT_RASA_SPEEDUPS", "1") != "0":
        RemoteAction._validate_action_result = _validate_action_result
