"""Models of the certificates app: certificates and their events (and the yearly ledger)."""

from .certificates import (
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CertificateStatus,
)
from .ledger import CourseHistory, ExternalActivity, YearTarget

__all__ = [
    "Certificate",
    "CertificateEvent",
    "CertificateEventKind",
    "CertificateStatus",
    "CourseHistory",
    "ExternalActivity",
    "YearTarget",
]
