"""Error pages: JSON under /api/ (the documented body), the site's HTML pages elsewhere."""

import sys
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from claimlens.api import DATABASE_UNAVAILABLE_ERRORS, database_unavailable


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"error": "not_found", "message": "Not found."}, status=HTTPStatus.NOT_FOUND
    )


def json_or_html_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def service_unavailable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """503 with Retry-After for a database error: the documented JSON under /api/, else a plain
    page rendered without the request, since its context processors would query the database."""
    error = database_unavailable(exception, where=request.path_info)
    if _is_api(request):
        response: HttpResponse = JsonResponse(error.body(), status=error.status)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def json_or_html_500(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its except block, so the exception is still at hand: a database
    # error raised outside a view (a middleware saving the session) is a 503 too.
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
        return service_unavailable(request, exception)
    if _is_api(request):
        return JsonResponse(
            {
                "error": "internal_error",
                "message": "An unexpected server error occurred. "
                "If persistent, contact support@claimlens.app.",
            },
            status=HTTPStatus.INTERNAL_SERVER_ERROR,
        )
    return defaults.server_error(request)


class DatabaseUnavailableMiddleware:
    """Turns a database error raised by a view or while rendering its template into a 503
    instead of a 500 (DRF views answer through ``claimlens.api.exception_handler`` first)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return service_unavailable(request, exception)
        return None
