"""Numbered, append-only schema migrations, recorded in `schema_migrations`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from storage.rows import Conn, fetch_all


@dataclass(frozen=True)
class Migration:
    """One `NNNN_name.sql` file; its first line is a `-- description`."""

    version: int
    description: str
    sql: str


def available_migrations() -> list[Migration]:
    """Every migration shipped with the package, in order."""
    migrations = []
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".sql"):
            sql = entry.read_text(encoding="utf-8")
            description = sql.splitlines()[0].removeprefix("--").strip()
            migrations.append(Migration(int(entry.name.split("_", 1)[0]), description, sql))
    return sorted(migrations, key=lambda m: m.version)


async def applied_versions(conn: Conn) -> set[int]:
    """Versions already applied to this database."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return {row[0] for row in await fetch_all(conn, "SELECT version FROM schema_migrations")}


async def migrate(conn: Conn, up_to: int | None = None) -> list[int]:
    """Apply the missing migrations inside the caller's transaction; return their versions."""
    done = await applied_versions(conn)
    applied = []
    for migration in available_migrations():
        if migration.version in done or (up_to is not None and migration.version > up_to):
            continue
        # executescript() would COMMIT the caller's transaction; run statement by statement.
        for statement in statements(migration.sql):
            await conn.execute(statement)
        await conn.execute(
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.description, datetime.now(UTC).isoformat()),
        )
        applied.append(migration.version)
    return applied


def statements(sql: str) -> list[str]:
    """Split a script into complete statements (a trigger's body keeps its semicolons)."""
    found, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer[:60]!r}")
    return found
