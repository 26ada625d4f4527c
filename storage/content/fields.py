"""A typed reader over parsed TOML that reports errors by file and key path."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


class ContentError(ValueError):
    """Content that cannot be used; the message names the file, the key path and the problem."""


class Table:
    """One TOML table being read; every key must be read, so typos are reported."""

    def __init__(self, file: str, path: str, data: Mapping[str, Any]) -> None:
        self.file = file
        self.path = path
        self._data = data
        self._read: set[str] = set()

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def error(self, key: str | None, message: str) -> ContentError:
        """Build an error for `key` (or the table itself)."""
        where = self.path if key is None else (f"{self.path}.{key}" if self.path else key)
        return ContentError(f"{self.file}: {where or '(top level)'}: {message}")

    def _get(self, key: str, required: bool) -> Any:
        self._read.add(key)
        if key not in self._data:
            if required:
                raise self.error(key, "missing")
            return None
        return self._data[key]

    def _typed(self, key: str, required: bool, kind: type[T], what: str) -> T | None:
        value = self._get(key, required)
        if value is None:
            return None
        if (kind is date and isinstance(value, datetime)) or not isinstance(value, kind):
            raise self.error(key, f"expected {what}, got {value!r}")
        return value

    def string(self, key: str) -> str:
        """A required non-empty string."""
        value = self._typed(key, True, str, "a string")
        if not value or not value.strip():
            raise self.error(key, "must not be empty")
        return str(value)

    def optional_string(self, key: str) -> str | None:
        """An optional non-empty string."""
        return self.string(key) if key in self._data else self._get(key, False)

    def identifier(self, key: str = "id") -> str:
        """A lowercase id: letters, digits and dashes."""
        value = self.string(key)
        if not ID_PATTERN.match(value):
            raise self.error(key, f"{value!r} is not an id (a-z, 0-9 and '-', at most 32)")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        """A boolean with a default."""
        value = self._typed(key, False, bool, "true or false")
        return default if value is None else value

    def integer(self, key: str, minimum: int) -> int:
        """A required integer not below `minimum`."""
        value = self._typed(key, True, int, "a whole number")
        if isinstance(value, bool) or value is None or value < minimum:
            raise self.error(key, f"expected a whole number >= {minimum}, got {value!r}")
        return value

    def integers(self, key: str, minimum: int, single: bool = False) -> tuple[int, ...]:
        """A list of whole numbers (or, with `single`, one optional number) not below `minimum`."""
        value = self._get(key, False)
        if value is None:
            return ()
        items = [value] if single else value
        if not isinstance(items, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and i >= minimum for i in items
        ):
            what = "a whole number" if single else "a list of whole numbers"
            raise self.error(key, f"expected {what} >= {minimum}, got {value!r}")
        return tuple(items)

    def day(self, key: str, required: bool = True) -> date | None:
        """A TOML date such as 2020-03-16."""
        return self._typed(key, required, date, "a date like 2020-03-16")

    def dates_from_to(self) -> tuple[date, date | None]:
        """`from` (required) and `to` (optional, not before `from`)."""
        start = self.day("from")
        end = self.day("to", required=False)
        assert start is not None
        if end is not None and end < start:
            raise self.error("to", f"{end} is before 'from' {start}")
        return start, end

    def one_of(self, key: str, allowed: Iterable[str], default: str | None = None) -> str:
        """A string that must be one of `allowed` (a missing key takes `default`, if given)."""
        value = self.optional_string(key) if default is not None else self.string(key)
        value = value if value is not None else default
        options = tuple(allowed)
        if value not in options:
            raise self.error(key, f"{value!r} is not one of {', '.join(options)}")
        assert value is not None
        return value

    def days(self, key: str) -> tuple[date, ...]:
        """A list of TOML dates."""
        value = self._typed(key, False, list, "a list of dates")
        items = tuple(value or ())
        for index, item in enumerate(items):
            if not isinstance(item, date) or isinstance(item, datetime):
                raise self.error(
                    f"{key}[{index}]", f"expected a date like 2021-11-18, got {item!r}"
                )
        return items

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of non-empty strings."""
        value = self._typed(key, required, list, "a list of strings")
        items = tuple(value or ())
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{key}[{index}]", f"expected a non-empty string, got {item!r}")
        return items

    def table(self, key: str, required: bool = False) -> Table | None:
        """A nested table."""
        value = self._typed(key, required, dict, "a table")
        return None if value is None else Table(self.file, self._sub(key), value)

    def tables(self, key: str) -> Iterator[Table]:
        """Each table of an array of tables (`[[key]]`), labelled by its id where it has one."""
        value = self._typed(key, False, list, "an array of tables")
        for index, item in enumerate(value or ()):
            if not isinstance(item, dict):
                raise self.error(f"{key}[{index}]", "expected a table")
            label = f"{key}[{index}]" + (
                f"({item['id']})" if isinstance(item.get("id"), str) else ""
            )
            yield Table(self.file, self._sub(label), item)

    def each(self, key: str, read: Callable[[Table], T]) -> tuple[T, ...]:
        """Read every table of `key` with `read`, checking each for unknown keys."""
        results = []
        for table in self.tables(key):
            results.append(read(table))
            table.finish()
        return tuple(results)

    def finish(self) -> None:
        """Fail on keys nobody read: most often a typo."""
        unknown = sorted(set(self._data) - self._read)
        if unknown:
            raise self.error(unknown[0], "unknown key")

    def _sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key
