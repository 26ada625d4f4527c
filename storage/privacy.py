"""Erasing a resident's personal data on request, and purging old requests' details."""

from __future__ import annotations

from datetime import datetime

from storage import desk
from storage.rows import Conn, fetch_all
from storage.times import stamp


async def forget(conn: Conn, resident_id: int, now: datetime) -> None:
    """Erase what identifies the resident (the caller has cancelled and withdrawn what was
    open); requests stay, anonymized, for statistics."""
    addresses = [
        tuple(row)
        for row in await fetch_all(
            conn, "SELECT channel, address FROM identities WHERE resident_id = ?", (resident_id,)
        )
    ]
    for channel, address in addresses:
        await conn.execute(
            "UPDATE outbox SET status = 'cancelled' WHERE channel = ? AND address = ?"
            " AND status = 'pending'",
            (channel, address),
        )
        await conn.execute(
            "UPDATE outbox SET text = '', choices = '[]', address = '' WHERE channel = ?"
            " AND address = ? AND status != 'sending'",
            (channel, address),
        )
        # Updates as received (a shared phone, an address, a request's words): the rows stay,
        # empty, so a copy Telegram sends again is still known as handled.
        await conn.execute(
            "UPDATE inbox SET body = '' WHERE channel = ? AND ? IN ("
            " CASE WHEN json_valid(body) THEN"
            " CAST(json_extract(body, '$.message.from.id') AS TEXT) END,"
            " CASE WHEN json_valid(body) THEN"
            " CAST(json_extract(body, '$.edited_message.from.id') AS TEXT) END,"
            " CASE WHEN json_valid(body) THEN"
            " CAST(json_extract(body, '$.callback_query.from.id') AS TEXT) END)",
            (channel, address),
        )
        await conn.execute("DELETE FROM sms_numbers WHERE address = ?", (address,))
    # The staff cards (escalations, the desk's new cards, the resident's answers passed on) of
    # the resident's requests hold details, address, phone; a voice note holds their voice.
    await conn.execute(
        "UPDATE outbox SET text = '', choices = '[]', meta = json_remove(meta, '$.voice'),"
        " status = CASE WHEN status = 'pending'"
        " THEN 'cancelled' ELSE status END WHERE status != 'sending' AND EXISTS (SELECT 1"
        " FROM requests r WHERE r.resident_id = ? AND (outbox.key LIKE 'card:' || r.id || ':%'"
        " OR outbox.key LIKE 'escalation:' || r.id || ':%'"
        " OR outbox.key LIKE 'desk-%:' || r.id || ':%'"
        " OR outbox.key LIKE 'voice:' || r.id || ':%'))",
        (resident_id,),
    )
    await desk.erase_texts(conn, resident_id)  # replies and notes on the desk
    # Cancelling and withdrawing are the dialogs' (places pass on, staff are told); what is
    # left here is erasing what identifies the resident.
    await conn.execute(
        "UPDATE requests SET resident_id = NULL, channel = NULL, address = NULL, details = NULL,"
        " home_address = NULL, phone = NULL, voice = NULL, latitude = NULL, longitude = NULL,"
        " updated_at = ? WHERE resident_id = ?",
        (stamp(now), resident_id),
    )
    await conn.execute(
        "UPDATE bookings SET address = '', note = NULL WHERE resident_id = ?", (resident_id,)
    )
    await conn.execute("UPDATE waitlist SET address = '' WHERE resident_id = ?", (resident_id,))
    await conn.execute("DELETE FROM subscriptions WHERE resident_id = ?", (resident_id,))
    await conn.execute("DELETE FROM identities WHERE resident_id = ?", (resident_id,))
    await conn.execute(
        "UPDATE residents SET municipality_id = NULL, language = NULL, phone = NULL,"
        " home_address = NULL WHERE id = ?",
        (resident_id,),
    )


async def purge_closed_requests(conn: Conn, older_than: datetime) -> int:
    """Drop the personal details of requests closed before `older_than`; return how many."""
    cursor = await conn.execute(
        "UPDATE requests SET details = NULL, home_address = NULL, phone = NULL, channel = NULL,"
        " address = NULL, voice = NULL, latitude = NULL, longitude = NULL"
        " WHERE status IN ('done', 'unreachable', 'withdrawn') AND updated_at < ?"
        " AND (details IS NOT NULL OR home_address IS NOT NULL OR phone IS NOT NULL"
        " OR address IS NOT NULL OR voice IS NOT NULL OR latitude IS NOT NULL)",
        (stamp(older_than),),
    )
    await conn.execute(  # the desk's replies and notes on them
        "UPDATE request_events SET text = '' WHERE text != '' AND request_id IN (SELECT id"
        " FROM requests WHERE status IN ('done', 'unreachable', 'withdrawn') AND updated_at < ?)",
        (stamp(older_than),),
    )
    return cursor.rowcount


async def purge_sent_texts(conn: Conn, older_than: datetime) -> int:
    """Erase the text of notifications and answers sent (or given up) before `older_than`: they
    may hold a request's details. The rows stay, so a key is never sent twice."""
    cursor = await conn.execute(
        "UPDATE outbox SET text = '', choices = '[]', meta = json_remove(meta, '$.voice')"
        " WHERE status IN ('sent', 'failed', 'cancelled') AND text != '' AND created_at < ?",
        (stamp(older_than),),
    )
    return cursor.rowcount
