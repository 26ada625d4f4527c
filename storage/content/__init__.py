"""Municipality content: models and the validating TOML loader."""

from storage.content.loader import ContentError, load_content
from storage.content.models import (
    STATUSES,
    Content,
    Department,
    Emergency,
    Facility,
    Hotline,
    LocalText,
    Municipality,
    Period,
    Phone,
    Service,
    ServiceKind,
    Status,
)

__all__ = [
    "STATUSES",
    "Content",
    "ContentError",
    "Department",
    "Emergency",
    "Facility",
    "Hotline",
    "LocalText",
    "Municipality",
    "Period",
    "Phone",
    "Service",
    "ServiceKind",
    "Status",
    "load_content",
]
