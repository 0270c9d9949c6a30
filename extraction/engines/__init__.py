"""Engine selection: ``CLAIMLENS_ENGINE`` = ``rules`` or ``claude``.

The default is ``claude`` when ``ANTHROPIC_API_KEY`` is set, else ``rules``. Engines are built
once per configuration so the model client's connection pool is reused across requests.
"""

from functools import lru_cache

from django.conf import settings

from extraction.engines.base import Engine


@lru_cache(maxsize=4)
def _build(name: str, model: str, base_url: str) -> Engine:
    if name == "claude":
        from extraction.engines.claude import ClaudeEngine

        return ClaudeEngine(model=model)
    from extraction.engines.rules import RulesEngine

    return RulesEngine()


def get_engine() -> Engine:
    return _build(settings.CLAIMLENS_ENGINE, settings.ANTHROPIC_MODEL, settings.ANTHROPIC_BASE_URL)
