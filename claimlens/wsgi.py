import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")

application = get_wsgi_application()

# Web processes load the code tables now, so no request pays for it.
from extraction.warmup import warm_up  # noqa: E402 - needs the app registry loaded above

warm_up()
