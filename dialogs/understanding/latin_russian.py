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


# Latin letters back to Cyrillic, longest spellings first ("shch" before "sh" before "s").
_TO_CYRILLIC = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"),
    ("ts", "ц"), ("yu", "ю"), ("ju", "ю"), ("ya", "я"), ("ja", "я"), ("yo", "ё"), ("jo", "ё"),
    ("ye", "ые"), ("iy", "ий"), ("yy", "ый"),
    ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"),
    ("h", "х"), ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "ы"), ("z", "з"), ("'", "ь"), ("4", "ч"),
)  # fmt: skip


def in_latin_letters(text: str) -> bool:
    """Letters, all of them Latin ones without Baltic marks: how Russian is typed on phones."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isascii() for c in letters)


def to_cyrillic(text: str) -> str:
    """Russian typed in Latin letters, read back into Cyrillic ("pomoshch na domu" ->
    "помощч на дому" is close enough for the names and keywords that are matched loosely)."""
    out, rest = [], text.lower()
    while rest:
        for latin, cyrillic in _TO_CYRILLIC:
            if rest.startswith(latin):
                out.append(cyrillic)
                rest = rest[len(latin) :]
                break
        else:
            out.append(rest[0])
            rest = rest[1:]
    return "".join(out)
