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

_WORD = r"(?:password|passwd|passphrase|pass|secret|token)"

# `name value`, `name=value`, `set name = value`: the name ends in a secret word.
_SETTING = re.compile(
    rf"^(?P<keep>\s*(?:set\s+)?[A-Za-z0-9_.-]*?{_WORD}(?:\s*[=:]\s*|\s+))(?P<value>\S.*?)\s*$",
    re.IGNORECASE,
)
# user_pref("…password…", value);  (also pref, sticky_pref, lockPref)
_PREF = re.compile(
    r'^(?P<keep>\s*(?:user_|sticky_)?(?:pref|lockPref)\s*\(\s*"[^"]*'
    r'(?:password|passwd|passphrase|secret|token)[^"]*"\s*,\s*)'
    r"(?P<value>.*?)(?P<end>\s*\)\s*;?\s*(?://.*)?)?$",  # a line cut short is masked to its end
    re.IGNORECASE,
)
# …/Client-Secret="…" or password=… inside a longer value
_INLINE = re.compile(
    rf'(?P<keep>[A-Za-z0-9_.-]*{_WORD}\s*=\s*)(?P<value>"[^"]*"|[^\s,/"]+)', re.IGNORECASE
)
# scheme://user:password@host
_URL = re.compile(r"(?P<keep>[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*:)(?P<value>[^\s/@]+)(?=@)")


def mask_line(line: str) -> str:
    """The line with the value of any secret it holds replaced by ********."""
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if pref := _PREF.match(body):
        return f"{pref['keep']}{MASK}{pref['end'] or ''}{ending}"
    if setting := _SETTING.match(body):
        return f"{setting['keep']}{MASK}{ending}"
    body = _INLINE.sub(lambda m: m["keep"] + MASK, body)
    return _URL.sub(lambda m: m["keep"] + MASK, body) + ending


def mask_text(text: str) -> str:
    """Every line of `text` through mask_line (line endings kept)."""
    return "".join(mask_line(line) for line in text.splitlines(keepends=True))
