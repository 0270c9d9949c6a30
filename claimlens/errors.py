"""Error pages: JSON under /api/ (the documented body), the site's HTML pages elsewhere."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


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


def json_or_html_500(request: HttpRequest) -> HttpResponse:
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
