"""The object store: S3 storage configured from plain values, and a cheap "does it answer?" probe.

A leaf module (no models). Wagtail deletes a document's or an image's file after commit in a
background task whose arguments are the storage's constructor arguments
(``storage.deconstruct()``), stored as JSON in the task table. So the constructor takes only
plain JSON values, and never credentials: those come from the environment
(``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, or an instance role), read by django-storages
and boto3 in whichever process opens the store.
"""

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

# Constructor arguments that would put a secret, or something JSON cannot hold, into task rows.
_REFUSED_OPTIONS = ("access_key", "secret_key", "security_token", "client_config")


class ObjectStorage(S3Storage):
    """django-storages' ``S3Storage`` whose options are plain values, safe to store in a task.

    ``connect_timeout``, ``read_timeout`` and ``max_attempts`` build the botocore ``Config``
    here, so a dead store fails a request within seconds instead of hanging it.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 3,
        read_timeout: float = 30,
        max_attempts: int = 2,
        **options,
    ) -> None:
        refused = sorted(set(options) & set(_REFUSED_OPTIONS))
        if refused:
            raise ImproperlyConfigured(
                f"ObjectStorage takes no {', '.join(refused)} option: credentials come from "
                "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), so they never "
                "reach the task queue"
            )
        client_config = Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": max_attempts, "mode": "standard"},
            # SigV2 URLs are refused by AWS and by S3-compatible stores that check signatures.
            signature_version=options.get("signature_version") or "s3v4",
        )
        super().__init__(client_config=client_config, **options)


# A name that is never stored: asking whether it exists is one HEAD request on S3 (one stat()
# locally), which proves the store answers, without writing anything.
PROBE_NAME = "healthz/probe"


def storage_probe(storage) -> None:
    """Ask the store one cheap question; raises one of ``STORE_UNAVAILABLE_ERRORS`` if down."""
    storage.exists(PROBE_NAME)
