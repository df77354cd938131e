import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Load jieba's dictionary for the catalog search once here (in the gunicorn master with --preload),
# not in every worker on its first search.
from bianmin.catalog.search import warm_up  # noqa: E402

warm_up()
