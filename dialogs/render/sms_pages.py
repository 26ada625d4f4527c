"""An answer as SMS text: numbered choices, GSM-7 folding, and pages within a segment budget."""

from __future__ import annotations

from dialogs.render.sms_encoding import fits, fold
from dialogs.types import Reply

SPACE = " \n"  # where pages may break; other whitespace is kept as written


def sms_text(reply: Reply, transliterate_cyrillic: bool) -> str:
    """The reply's text and numbered choices, folded to GSM-7 where possible."""
    return fold("\n".join([reply.text, *_choice_lines(reply)]), transliterate_cyrillic)


def paged_text(reply: Reply, transliterate_cyrillic: bool, max_segments: int, more: str) -> str:
    """`sms_text`, but if its first page would carry no choice (a long preamble), the choices
    come right after the first paragraph (the question) and the other paragraphs after them."""
    text = sms_text(reply, transliterate_cyrillic)
    head, _, rest = reply.text.partition("\n\n")
    if not reply.choices or not rest:
        return text
    first = fold(_choice_lines(reply)[0], transliterate_cyrillic)
    if first in paginate(text, max_segments, more)[0].split("\n"):
        return text
    moved = "\n".join([head, *_choice_lines(reply)]) + "\n\n" + rest
    return fold(moved, transliterate_cyrillic)


def _choice_lines(reply: Reply) -> list[str]:
    """The numbered choices, and "0 back" where there is a way back."""
    lines = [f"{number} {choice.label}" for number, choice in enumerate(reply.choices, start=1)]
    return [*lines, f"0 {reply.back}"] if lines and reply.back else lines


def paginate(text: str, max_segments: int, more: str) -> list[str]:
    """Split `text` into pages that each fit `max_segments`, the last line of each but the
    last page saying how to get the rest ("(1/2) Reply MORE ..."). Pages break between lines
    (a numbered choice or a status line stays whole); only a line longer than a page is cut,
    between words if it can be."""
    if fits(text, max_segments):
        return [text]
    pieces = _pieces(text, max_segments, more)
    if len(pieces) == 1:  # it fits once the trailing spaces are gone
        return pieces
    total = len(pieces)
    return [
        f"{piece}\n({number}/{total}) {more}" if number < total else f"{piece}\n({number}/{total})"
        for number, piece in enumerate(pieces, start=1)
    ]


def _pieces(text: str, max_segments: int, more: str) -> list[str]:
    reserve = f"\n(99/99) {more}"
    pieces: list[str] = []
    current = ""
    for line in _lines(text):
        whole = fits(line.strip(SPACE) + reserve, max_segments)
        for word in [line] if whole else _words(line):
            for part in _parts(word, max_segments, reserve):
                candidate = current + part
                if current and not fits(candidate.rstrip(SPACE) + reserve, max_segments):
                    pieces.append(current.rstrip(SPACE))
                    current = part.lstrip(SPACE)
                else:
                    current = candidate
    if current.strip(SPACE):
        pieces.append(current.rstrip(SPACE))
    return pieces


def _lines(text: str) -> list[str]:
    """Lines with the line break before them."""
    first, *others = text.split("\n")
    return [first, *(f"\n{line}" for line in others)]


def _parts(word: str, max_segments: int, reserve: str) -> list[str]:
    """The word, or, if it cannot fit a page on its own (a long link, a run of characters
    with no space), the word cut where pages end."""
    if fits(word.strip(SPACE) + reserve, max_segments):
        return [word]
    parts, current = [], ""
    for char in word:
        if current.strip(SPACE) and not fits((current + char).strip(SPACE) + reserve, max_segments):
            parts.append(current)
            current = ""
        current += char
    return [*parts, current] if current else parts


def _words(text: str) -> list[str]:
    """Words with the spaces and line breaks before them, so pages break between words."""
    words, current = [], ""
    for char in text:
        if char in SPACE and current.strip(SPACE):
            words.append(current)
            current = ""
        current += char
    if current:
        words.append(current)
    return words
