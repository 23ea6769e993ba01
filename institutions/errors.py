"""The one exception the institutions services raise when they refuse a request."""


class InstitutionRefused(Exception):
    """A service refused: ``message`` is a translated sentence to show the user as it is;
    ``code`` names the reason for tests and logs."""

    def __init__(self, message, code: str = "refused"):
        super().__init__(str(message))
        self.message = message
        self.code = code
