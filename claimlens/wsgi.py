import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")

application = get_wsgi_application()

# Web processes build the code tables and the scrubber's word lists now, as the server starts,
# so no request pays for them. Only servers import this module (runserver and gunicorn do), so
# management commands, migrations and tests start without the cost. Not in an AppConfig.ready():
# every manage.py command runs that.
from extraction.warmup import warm_up  # noqa: E402 - needs the app registry loaded above

warm_up()
