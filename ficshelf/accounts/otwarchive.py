"""Logging in as tools that read AO3 do (FanFicFare's OTW adapter, for one): they fetch a CSRF
token from /token_dispenser.json, then post it as `authenticity_token` with the account in
`user[login]` and `user[password]` to /users/login. The login view takes those names too; CSRF
is still checked, by Django's own middleware, with the token read from that field."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# otwarchive's field name -> Django's.
FIELDS = {"user[login]": "username", "user[password]": "password"}
CSRF_FIELD_NAME = "authenticity_token"


def uses_otwarchive_names(data: QueryDict) -> bool:
    return "user[login]" in data and "username" not in data


def with_django_names(data: QueryDict) -> QueryDict:
    """The posted data with otwarchive's field names given Django's as well."""
    if not uses_otwarchive_names(data):
        return data
    data = data.copy()
    for otw_name, name in FIELDS.items():
        data[name] = data.get(otw_name, "")
    return data


class LogInCsrf(CsrfViewMiddleware):
    """Django's CSRF check, as strict, for the login view: the token may also come in
    `authenticity_token`. On HTTPS, Django wants a Referer when there is no Origin; a browser's
    cross-site post always sends an Origin (still checked), a tool such as FanFicFare sends
    neither, so only a Referer that is sent is checked. The token must match the cookie in
    every case."""

    def _check_token(self, request: HttpRequest) -> None:
        token = request.POST.get(CSRF_FIELD_NAME, "")
        if token and not request.POST.get("csrfmiddlewaretoken"):
            request.META.setdefault(settings.CSRF_HEADER_NAME, token)
        super()._check_token(request)

    def _check_referer(self, request: HttpRequest) -> None:
        if "HTTP_REFERER" in request.META:
            super()._check_referer(request)


def _no_response(request):  # the middleware needs a get_response it never calls here
    return None


def check_csrf(request: HttpRequest):
    """None if the request may go on, else Django's 403 CSRF page."""
    return LogInCsrf(_no_response).process_view(request, None, (), {})


@never_cache
@require_GET
def token_dispenser(request):
    """otwarchive's /token_dispenser.json: a CSRF token (and its cookie) for a login post."""
    return JsonResponse({"token": get_token(request)})
