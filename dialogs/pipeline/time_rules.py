"""The rules time drives, run by delivery every few seconds: expired offers pass on; requests
nobody took are raised again; personal data past its time is erased."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dialogs.core.i18n import Catalogs
from dialogs.flows.booking import offers
from dialogs.staff.desk import StaffDesk
from storage import inbox
from storage import privacy as privacy_store
from storage.content import Content
from storage.rows import Conn

# Updates as received, and messages once sent, hold what residents wrote: kept a day.
DELIVERED_RETENTION = timedelta(days=1)


@dataclass(frozen=True)
class TimeRules:
    """What the rules need: the content and catalogs (offers are written to residents), staff's
    desk (escalations), how long a held offer lasts and closed requests are kept."""

    content: Content
    catalogs: Catalogs
    staff: StaffDesk
    offer_minutes: int
    retention: timedelta

    async def apply(self, conn: Conn, now: datetime) -> None:
        """Apply every rule due at `now` (one unit of a group commit: one hop, where holding
        the write lock across a hop for each statement stalled every turn behind it)."""
        await offers.expire_offers(conn, self.content, self.catalogs, now, self.offer_minutes)
        await privacy_store.purge_closed_requests(conn, now - self.retention)
        await inbox.purge(conn, now - DELIVERED_RETENTION)
        await privacy_store.purge_sent_texts(conn, now - DELIVERED_RETENTION)
        await self.staff.escalate(conn, now)
