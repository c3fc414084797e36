"""Hide the values of secret-bearing lines of the user's configuration files wherever their text
is shown (a dry run's diff, the wizard's preview, a parse error quoting a line). The files
themselves are never changed by this: the write keeps every byte.

One rule set for every client's format, because a text can be shown without knowing its format
(an error quoting a line), and masking a line that is not secret only hides it from view:
- a setting whose name ends in password/passwd/passphrase/pass/secret/token, written
  `name value` (msmtp `password`), `name=value` / `name = value` (pinerc, git config, aerc) or
  `set name=value` (NeoMutt `smtp_pass`);
- a prefs.js preference whose name holds one of those words (Thunderbird's
  `mail.server.serverN.password`, `mail.smtpserver.smtpN.password` ...);
- an inline `…secret=value` / `…password=value` item, such as Alpine's
  `xoauth2-info="Gmail" /Client-ID=… /Client-Secret=…` (its OAuth2 client secret);
- the password part of a URL's user info (`smtps://user:SECRET@host`).

Not masked: msmtp `passwordeval` and the `*-cmd` settings (aerc `outgoing-cred-cmd`): their value
is a command, not a secret. It says where the secret is kept (a keyring lookup, a `gpg -d`), and
the user should see exactly what will be run.
"""

from __future__ import annotations

import re

MASK = "********"

_SECRET_ENDINGS = ("password", "passwd", "passphrase", "pass", "secret", "token")
_SECRET_WORDS = ("password", "passwd", "passphrase", "secret", "token")

# Linear patterns only (a user's line may be very long): each name is matched whole and judged
# by plain string tests, never by a pattern that backtracks over it.
_NAME = r"[A-Za-z0-9_.-]+"
# `name value`, `name=value`, `set name = value`
_SETTING = re.compile(
    rf"(?P<keep>\s*(?:set\s+)?(?P<name>{_NAME})(?:\s*[=:]\s*|\s+))(?P<value>\S.*)"
)
# user_pref("name", value);  (also pref, sticky_pref, lockPref)
_PREF = re.compile(r'\s*(?:user_|sticky_)?(?:pref|lockPref)\s*\(\s*"(?P<name>[^"]*)"\s*,\s*')
_PREF_VALUE = re.compile(r'"(?:[^"\\]|\\.)*"?|[^)\s]*')  # a string cut short runs to the end
# …/Client-Secret="…" or password=… inside a longer value
_INLINE = re.compile(
    rf'(?<![A-Za-z0-9_.-])(?P<keep>(?P<name>{_NAME})\s*=\s*)(?P<value>"[^"]*"?|[^\s,/"]+)'
)
# scheme://user:password@host
_URL = re.compile(
    r"(?<![A-Za-z0-9+.-])(?P<keep>[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*:)(?P<value>[^\s/@]+)(?=@)"
)


def _ends_secret(name: str) -> bool:
    return name.lower().endswith(_SECRET_ENDINGS)


def _inline(match: re.Match[str]) -> str:
    return match["keep"] + MASK if _ends_secret(match["name"]) else match[0]


def mask_line(line: str) -> str:
    """The line with the value of any secret it holds replaced by ********."""
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if pref := _PREF.match(body):
        if not any(word in pref["name"].lower() for word in _SECRET_WORDS):
            return line
        shown = _PREF_VALUE.match(body, pref.end())
        assert shown is not None  # it can match nothing
        return f"{body[: pref.end()]}{MASK}{body[shown.end() :]}{ending}"
    setting = _SETTING.match(body)
    if setting and _ends_secret(setting["name"]):
        value = setting["value"]
        return f"{setting['keep']}{MASK}{value[len(value.rstrip()) :]}{ending}"
    body = _INLINE.sub(_inline, body)
    return _URL.sub(lambda m: m["keep"] + MASK, body) + ending


def mask_text(text: str) -> str:
    """Every line of `text` through mask_line (line endings kept)."""
    return "".join(mask_line(line) for line in text.splitlines(keepends=True))
