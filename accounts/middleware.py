"""A clear answer when sign-in cannot work because the client's address is unknown."""

from django.template.response import TemplateResponse

from accounts.adapter import CLIENT_ADDRESS_HELP, ClientAddressUnknown

RETRY_AFTER_SECONDS = 300


class ClientAddressMiddleware:
    """Answers ``ClientAddressUnknown`` from any view (allauth's or Wagtail's login) with a 503
    page that says the site is set up wrongly and what the operator must set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ClientAddressUnknown):
            return None
        response = TemplateResponse(
            request,
            "accounts/client_address_unknown.html",
            {"operator_help": CLIENT_ADDRESS_HELP},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response.render()
