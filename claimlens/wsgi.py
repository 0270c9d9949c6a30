import os

from django.core.wsgi import get_wsgi_application

from extraction.phi.lexicon import lexicon

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")

application = get_wsgi_application()

# The PHI scrubber's word lists (names, vocabulary, towns) take a second or two to build: build
# them now, as the server starts, not during its first request. Only servers import this module
# (runserver and gunicorn do, before serving), so management commands, migrations and tests
# start without the cost; they build the lists on first use, if ever. Not in
# ExtractionConfig.ready(): every manage.py command runs that.
lexicon()
