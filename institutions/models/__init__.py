"""Models of the institutions app: institutions, enrolment, membership and their event log
(institutions.py), the annual diploma and its criteria (diplomas.py), certificate ZIP exports
(exports.py)."""

from .diplomas import DiplomaCriteria, InstitutionDiploma
from .exports import CertificateExport, ExportStatus
from .institutions import (
    Enrolment,
    Institution,
    InstitutionEvent,
    InstitutionEventKind,
    InstitutionKind,
    Membership,
    MembershipStatus,
)

__all__ = [
    "CertificateExport",
    "DiplomaCriteria",
    "Enrolment",
    "ExportStatus",
    "Institution",
    "InstitutionDiploma",
    "InstitutionEvent",
    "InstitutionEventKind",
    "InstitutionKind",
    "Membership",
    "MembershipStatus",
]
