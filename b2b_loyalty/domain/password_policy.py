"""What makes a password acceptable, after NIST SP 800-63B section 5.1.1.2.

No composition rules (no "one digit, one capital") and no periodic change;
instead:

- length between ``MIN_PASSWORD_LENGTH`` and ``MAX_PASSWORD_LENGTH`` Unicode
  code points, counted after NFKC normalisation; every printable character,
  spaces and emoji included, is allowed;
- not a commonly used password (``common_passwords.COMMON_PASSWORDS``,
  compared case-insensitively), nor one of its 1,000 most frequent entries
  merely wrapped in digits and symbols ("Dragon2026!!");
- not the user's e-mail address, its local part or their name, nor one of
  those with only a few characters added ("alice.smith2026");
- not repetitive ("aaaaaaaaaaaa", "abcabcabcabc") or sequential
  ("abcdefghijkl", "123456789012").

Pure Python: the CLI, the admin's user form and the password change page all
ask ``password_problems``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from b2b_loyalty.domain.common_passwords import COMMON_PASSWORDS

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
# A context word must leave at least this many characters of something else.
MIN_OWN_CHARACTERS = 6
# Base words shorter than this are not looked for inside a decorated password.
MIN_BASE_WORD_LENGTH = 5
SERVICE_WORDS = ("b2bloyalty", "b2b_loyalty", "b2b-loyalty")

TOO_SHORT = f"Use at least {MIN_PASSWORD_LENGTH} characters."
TOO_LONG = f"Use at most {MAX_PASSWORD_LENGTH} characters."
NOT_PRINTABLE = "Use only printable characters."
TOO_COMMON = "This password is too common; choose one nobody else would."
DECORATED_COMMON = (
    "A common password with digits or symbols added is still easy to guess; choose another."
)
TOO_PERSONAL = "Do not base the password on your e-mail address or name."
REPETITIVE = "Avoid repeated or sequential characters such as 'aaaa…' or 'abcd…'."


def normalise_password(password: str) -> str:
    """NFKC form, as NIST asks, so visually equal passwords are equal."""
    return unicodedata.normalize("NFKC", password)


def password_length(password: str) -> int:
    """Length in Unicode code points after normalisation (what the rule counts)."""
    return len(normalise_password(password))


def password_problems(
    password: str, *, email: str | None = None, name: str | None = None
) -> list[str]:
    """Every reason ``password`` is refused; an empty list means it is acceptable.

    ``email`` and ``name`` are the account's, for the context rule. The checks
    after the length rule only run on a password of acceptable length, so a
    too-long input is never scanned.
    """
    text = normalise_password(password)
    if len(text) < MIN_PASSWORD_LENGTH:
        return [TOO_SHORT]
    if len(text) > MAX_PASSWORD_LENGTH:
        return [TOO_LONG]
    problems: list[str] = []
    if not all(ch.isprintable() for ch in text):
        problems.append(NOT_PRINTABLE)
    folded = text.casefold()
    if folded in COMMON_PASSWORDS or _alphanumeric(folded) in COMMON_PASSWORDS:
        problems.append(TOO_COMMON)
    elif _is_decorated_common_word(folded):
        problems.append(DECORATED_COMMON)
    if _is_based_on_context(folded, _context_words(email, name)):
        problems.append(TOO_PERSONAL)
    if _is_repetitive(folded) or _is_sequential(folded):
        problems.append(REPETITIVE)
    return problems


def is_acceptable_password(
    password: str, *, email: str | None = None, name: str | None = None
) -> bool:
    return not password_problems(password, email=email, name=name)


def _alphanumeric(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _is_decorated_common_word(folded: str) -> bool:
    """True for a common password with only non-letters before and after it."""
    start, end = 0, len(folded)
    while start < end and not folded[start].isalpha():
        start += 1
    while end > start and not folded[end - 1].isalpha():
        end -= 1
    core = folded[start:end]
    return len(core) >= MIN_BASE_WORD_LENGTH and core in COMMON_PASSWORDS


def _context_words(email: str | None, name: str | None) -> list[str]:
    words: set[str] = set(SERVICE_WORDS)
    if email:
        address = email.strip().casefold()
        local = address.split("@", 1)[0]
        words.update({address, local, _alphanumeric(local)})
    if name:
        folded = normalise_password(name).strip().casefold()
        words.update({folded, _alphanumeric(folded)})
        words.update(part for part in folded.split() if len(part) >= 4)
    return [w for w in words if len(w) >= 3]


def _is_based_on_context(folded: str, words: Iterable[str]) -> bool:
    """True when removing the e-mail, name or service name leaves too little of the password."""
    for candidate in (folded, _alphanumeric(folded)):
        for word in words:
            if word and word in candidate:
                rest = candidate.replace(word, "")
                if len(_alphanumeric(rest)) < MIN_OWN_CHARACTERS:
                    return True
    return False


def _is_repetitive(folded: str) -> bool:
    """Few distinct characters, or one short piece repeated ("abcabcabcabc")."""
    if len(set(folded)) < 4:
        return True
    length = len(folded)
    for unit in range(1, length // 2 + 1):
        if length % unit == 0 and folded[:unit] * (length // unit) == folded:
            return True
    return False


def _is_sequential(folded: str) -> bool:
    """Consecutive characters going up or down by one, digits wrapping 9→0."""

    def step(a: str, b: str) -> int | None:
        if a.isdigit() and b.isdigit():
            diff = (int(b) - int(a)) % 10
            return {1: 1, 9: -1}.get(diff)
        diff = ord(b) - ord(a)
        return diff if diff in (1, -1) else None

    steps = {step(a, b) for a, b in zip(folded, folded[1:], strict=False)}
    return steps in ({1}, {-1})
