"""Russian as people type it in Latin letters on phones ("zapisat na dush zavtra", "4to",
"pomosh s edoj"): the ways of writing each Cyrillic letter, to teach the intent model."""

from __future__ import annotations

from dialogs.render.sms_encoding import fold as sms_fold

# The informal way, next to the formal one the SMS renderer writes ("khochu", "yeshche"):
# х=h, й=j, я=ja, ю=ju, щ=sch, ц=c, ы=y, the soft sign dropped.
_INFORMAL = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "jo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "j",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "ju",
    "я": "ja",
}


def _informal(text: str) -> str:
    out = []
    for char in text.lower():
        latin = _INFORMAL.get(char)
        out.append(char if latin is None else latin)
    return "".join(out).replace("ch", "4", 1) if "ч" in text.lower() else "".join(out)


def latin_spellings(text: str) -> list[str]:
    """A Cyrillic Russian text as residents type it in Latin letters: formally ("khochu
    zapisat'sya") and informally ("hochu zapisatsja", "4to")."""
    return [sms_fold(text, transliterate_cyrillic=True), _informal(text)]
