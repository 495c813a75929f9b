"""dvcbot's Rasa action server (rasa-sdk 3.21.1, Python 3.11).

Start it with ``python -m rasa_sdk --actions actions --port PORT``; rasa-sdk imports every module
of this package and registers the :class:`rasa_sdk.Action` subclasses it finds. Modules must stay
cheap to import: the knowledge base and the routing module are loaded on first use.
"""

import warnings

# rasa 3.6 (the dialogue engine) with rasa-sdk 3.21 is the combination this project pins and tests
# (tests/bot); rasa-sdk would otherwise warn about it on every request.
warnings.filterwarnings("ignore", message="Your versions of rasa and rasa_sdk might not be compatible")
