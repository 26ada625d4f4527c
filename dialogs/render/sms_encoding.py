"""SMS text: folding to the GSM-7 alphabet, and counting segments exactly."""

from __future__ import annotations

import re
import unicodedata

# GSM 03.38 basic character set (one septet each) and its extension table (two septets each).
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = "^{}\\[~]|€\f"
_GSM = set(GSM_BASIC) | set(GSM_EXTENDED)

# Typography that forces UCS-2 for no reason.
_PUNCTUATION = {
    "–": "-",
    "—": "-",
    "„": '"',
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "’": "'",
    "‘": "'",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "•": "-",
    "✓": "+",
    "№": "No.",
}
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


_CYRILLIC_WORD = re.compile("[А-Яа-яЁё]+")


def _transliterate(match: re.Match[str]) -> str:
    word = match.group(0)
    # The soft sign inside a word is an apostrophe, as Russians write it in Latin letters:
    # "ответьте" -> "otvet'te" (not "otvette"); at a word's end it is dropped ("den").
    latin = "".join(
        "'" if char in "ьЬ" and index < len(word) - 1 else _CYRILLIC[char.lower()]
        for index, char in enumerate(word)
    )
    if word.isupper() and len(word) > 1:
        return latin.upper()  # "ЕЩЕ" -> "ESHCHE"
    return latin.capitalize() if word[0].isupper() else latin


def _latin(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str, transliterate_cyrillic: bool) -> str:
    """Replace what GSM-7 lacks: Baltic letters lose their marks, typography becomes ASCII,
    Cyrillic becomes Latin letters if asked (else it stays, and the message is UCS-2)."""
    if transliterate_cyrillic:
        text = _CYRILLIC_WORD.sub(_transliterate, text)
    out = []
    for char in text:
        if char in _GSM:
            out.append(char)
        elif char in _PUNCTUATION:
            out.append(_PUNCTUATION[char])
        elif char.lower() in _CYRILLIC:
            out.append(char)  # kept as written: the municipality chose UCS-2 for Russian
        else:
            latin = _latin(char)
            out.append(latin if latin and all(c in _GSM for c in latin) else "?")
    return "".join(out)


def is_gsm(text: str) -> bool:
    """True if every character fits GSM-7."""
    return all(char in _GSM for char in text)


def segments(text: str) -> tuple[str, int]:
    """("GSM-7" or "UCS-2", how many SMS segments `text` takes).

    GSM-7: 160 septets in one, 153 a part in more, an extension character takes two and is
    never split between parts. UCS-2: 70 UTF-16 units in one, 67 a part, pairs never split.
    """
    if not text:
        return ("GSM-7", 1)
    if is_gsm(text):
        units = [2 if c in GSM_EXTENDED else 1 for c in text]
        single, part = 160, 153
        encoding = "GSM-7"
    else:
        units = [2 if ord(c) > 0xFFFF else 1 for c in text]
        single, part = 70, 67
        encoding = "UCS-2"
    if sum(units) <= single:
        return (encoding, 1)
    count, used = 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return (encoding, count)


def fits(text: str, max_segments: int) -> bool:
    """True if `text` takes at most `max_segments` segments."""
    return segments(text)[1] <= max_segments
