import os

from django.core.asgi import get_asgi_application

from extraction.phi.lexicon import lexicon

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")

application = get_asgi_application()

lexicon()  # build the PHI scrubber's word lists before the first request (see wsgi.py)
