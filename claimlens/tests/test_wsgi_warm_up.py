"""The server entry point builds the PHI scrubber's word lists before the first request."""

import importlib

from extraction.phi.lexicon import lexicon


def test_the_wsgi_module_builds_the_phi_lexicon_as_the_server_starts():
    lexicon.cache_clear()

    importlib.reload(importlib.import_module("claimlens.wsgi"))

    assert lexicon.cache_info().currsize == 1
