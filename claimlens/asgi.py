import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")

application = get_asgi_application()

from extraction.warmup import warm_up  # noqa: E402 - needs the app registry loaded above

warm_up()  # see wsgi.py
