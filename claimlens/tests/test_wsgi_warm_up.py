"""The server entry point builds the PHI scrubber's word lists before the first request."""

import importlib

from extraction.phi.lexicon import lexicon


def test_the_wsgi_module_builds_the_phi_lexicon_as_the_server_starts():
    lexicon.cache_clear()

    importlib.reload(importlib.import_module("claimlens.wsgi"))

    assert lexicon.cache_info().currsize == 1


def test_warm_up_freezes_the_tables_out_of_the_garbage_collector():
    """A full collection during a request must not walk the ~800,000-word tables."""
    import gc

    from extraction.warmup import warm_up

    gc.unfreeze()
    try:
        warm_up()
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()
