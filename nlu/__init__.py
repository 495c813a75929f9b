"""dvcbot's Vietnamese NLU: a Rasa-compatible ``POST /model/parse`` service.

- ``nlu.intents``     the one list of intents (classified, dialogue-only, button payloads) that
                      ``bot/domain.yml`` and the tests agree on; no Rasa file is read at run time.
- ``nlu.data``        reads the Rasa training file ``bot/data/nlu.yml`` (the single source of
                      training data) and the held-out split ``data/eval/nlu_heldout.yml``.
- ``nlu.spans``       normalised words (``dvcbot.textnorm``) with offsets into the original text.
- ``nlu.entities``    phone, id_number, dossier_code (rules), procedure_aspect (the KB's rules).
- ``nlu.classifier``  e5 embeddings + character n-grams, temperature-calibrated logistic model;
                      ``FALLBACK_THRESHOLD`` → ``nlu_fallback``.
- ``nlu.model``       train/save/load with a content hash (``dvcbot nlu train``).
- ``nlu.parser``      one parse: intent, ranking, entities (+ ward from the gazetteer, procedure
                      from the knowledge base), ``procedure_candidates``; Rasa ``/intent{...}`` payloads.
- ``nlu.service``     FastAPI app (``create_app``); ``python -m nlu`` serves it on settings.nlu_port.
- ``nlu.evaluate`` / ``nlu.diet``  ``dvcbot nlu eval``: ours vs Rasa's stock DIET pipeline.
- ``nlu.cli``         the handlers of ``dvcbot nlu train|parse|eval|serve``.
"""
