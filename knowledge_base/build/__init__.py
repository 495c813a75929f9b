"""Build-time code of the knowledge base: converting the encoder model, building the search index.

Nothing here runs while serving queries (``knowledge_base.search`` loads what these wrote), so the
action server and the NLU service never import it except to check that the index is current.
"""
