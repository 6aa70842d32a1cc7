"""The error pages people meet (400, 403, 404, 405, 500): in Chinese, in the site's layout, with a way back.

The handlers are wired in ``villageburden.urls``; ``FriendlyErrorsMiddleware``
gives the same pages to the answers Django builds without a template (a GET on
a POST-only URL is a bare 405) and refuses query strings holding a NUL byte,
which no date, number or code can contain and PostgreSQL would reject.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _


def _texts() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("The request could not be understood"),
            _("A value in the address or the form is not valid."),
        ),
        403: (
            _("You may not open this page"),
            _("Your role does not allow this. Ask your administrator if you need it."),
        ),
        404: (
            _("Page not found"),
            _("The address is mistyped, or what it names is not in your jurisdiction."),
        ),
        405: (
            _("This address is for a button, not for opening"),
            _("It only takes a form sent from its page. Go back and use the button there."),
        ),
        500: (
            _("Something went wrong on our side"),
            _("The error was logged. Try again in a moment; nothing was saved."),
        ),
    }


def render_error(request, status: int, message: str = "") -> HttpResponse:
    heading, explanation = _texts()[status]
    context = {"status": status, "heading": heading, "explanation": explanation, "message": message}
    template = loader.get_template(f"{status}.html")
    # 500: no request context, so that a failing database or session cannot fail the error page too.
    body = template.render(context, request if status != 500 else None)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    # Only our own BadRequest messages are meant for people; other 400s (suspicious
    # operations) keep their details in the log.
    message = str(exception) if type(exception) is BadRequest else ""
    return render_error(request, 400, message)


def permission_denied(request, exception=None):
    return render_error(request, 403)


def csrf_failure(request, reason=""):
    """A form sent without its page's security token (an expired or foreign page): the 403 page, in Chinese."""
    return render_error(
        request,
        403,
        _("The form was not sent from its page, or the page had expired. Reload the page and send it again."),
    )


def page_not_found(request, exception=None):
    return render_error(request, 404)


def server_error(request):
    return render_error(request, 500)


class FriendlyErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith(("/api/", "/o/"))
        bad = [name for name, values in request.GET.lists() if any("\x00" in v for v in values)]
        if bad:
            if api:
                from django.http import JsonResponse

                message = str(_("A parameter holds a NUL byte."))
                # Named like every other parameter error: {parameter: [message]}.
                return JsonResponse(
                    {"code": "invalid", "detail": message, **{name: [message] for name in bad}}, status=400
                )
            return render_error(request, 400, _("A parameter holds a NUL byte."))
        response = self.get_response(request)
        if response.status_code == 405 and not api and not response.content:
            allowed = response.get("Allow", "")
            response = render_error(request, 405)
            if allowed:
                response["Allow"] = allowed
        return response
