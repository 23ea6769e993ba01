"""Models of the certificates app: certificates and their events (and the yearly ledger)."""

from .certificates import (
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CertificateStatus,
)

__all__ = [
    "Certificate",
    "CertificateEvent",
    "CertificateEventKind",
    "CertificateStatus",
]
