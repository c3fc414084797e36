"""Property tests of prefs.js merging: unrelated lines survive byte-for-byte, a second merge
changes nothing, string escaping round-trips."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.clients import prefsjs, thunderbird
from app.core.results import TlsMode
from app.core.settings import RelaySetting

# Any text Python can write as UTF-8 (no lone surrogates), control characters included.
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
names = st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z0-9_]{1,8}){0,3}", fullmatch=True)
values = st.one_of(texts, st.integers(-(2**31), 2**31 - 1), st.booleans())
comments = st.one_of(
    st.just(""),
    st.from_regex(r"// [^\n\r]{0,30}", fullmatch=True),
    st.from_regex(r"# [^\n\r]{0,30}", fullmatch=True),
    st.just("/* a block\n * comment\n */"),
)


@st.composite
def prefs_files(draw: st.DrawFn) -> tuple[str, set[str]]:
    """A prefs.js of comments and user_pref lines, LF or CRLF, maybe without a final newline."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines, seen = [], set()
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            name = draw(names)
            seen.add(name)
            spacing = draw(st.sampled_from(["", " ", "  "]))
            lines.append(
                f"user_pref({prefsjs.escape(name)},{spacing}{prefsjs.render_value(draw(values))});"
            )
        else:
            lines.append(draw(comments).replace("\n", newline))
    text = newline.join(lines)
    return (text + newline if draw(st.booleans()) else text), seen


def _without(text: str, names: set[str]) -> list[str]:
    """The lines that do not set any of `names`, endings included."""
    prefs = prefsjs.parse(text)
    touched = {i for n in names for i in prefs.where.get(n, ())}
    return [line for i, line in enumerate(prefs.lines) if i not in touched]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_escaping_round_trips(value: str) -> None:
    literal = prefsjs.escape(value)
    assert "\n" not in literal and "\r" not in literal
    assert prefsjs.unescape(literal) == value


@settings(max_examples=100, deadline=None)
@given(prefs_files(), st.data())
def test_merge_keeps_unrelated_lines_and_is_idempotent(
    file: tuple[str, set[str]], data: st.DataObject
) -> None:
    text, seen = file
    # Change some names the file already sets (maybe twice), and some new ones.
    known = st.sampled_from(sorted(seen)) if seen else names
    changes = data.draw(st.dictionaries(st.one_of(known, names), values, max_size=5))
    merged = prefsjs.merge(text, changes)
    # Every line that sets none of our names is still there, in order, byte for byte (the last
    # one may gain a line ending when a line is appended after it).
    old, new = _without(text, set(changes)), _without(merged, set(changes))
    assert new[:-1] == old[:-1]
    if old:
        assert new[-1] in (old[-1], old[-1] + "\n", old[-1] + "\r\n")
    # A preference that was there is rewritten in place, not moved.
    before, parsed = prefsjs.parse(text), prefsjs.parse(merged)
    for name in set(changes) & set(before.where):
        assert parsed.where[name] == before.where[name]
    # Our values read back exactly, and a second merge changes nothing.
    for name, value in changes.items():
        assert parsed.values[name] == value and type(parsed.values[name]) is type(value)
    assert prefsjs.merge(merged, changes) == merged


@settings(max_examples=50, deadline=None)
@given(prefs_files())
def test_merging_nothing_changes_nothing(file: tuple[str, set[str]]) -> None:
    text, seen = file
    assert prefsjs.merge(text, {}) == text
    assert set(prefsjs.parse(text).where) == seen


# -- Thunderbird's server logic on arbitrary profiles ------------------------------------------

RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")
keys = st.sampled_from(["smtp1", "smtp2", "smtp3", "smtp10", "other"])
pool = st.one_of(
    st.tuples(
        keys.map(lambda k: f"mail.smtpserver.{k}.hostname"),
        st.sampled_from(["mail.example.org", "MAIL.EXAMPLE.ORG", "elsewhere.example"]),
    ),
    st.tuples(
        keys.map(lambda k: f"mail.smtpserver.{k}.username"),
        st.sampled_from(["jo@example.org", "someone"]),
    ),
    st.tuples(keys.map(lambda k: f"mail.smtpserver.{k}.port"), st.sampled_from([25, 587])),
    st.tuples(
        st.just("mail.smtpservers"),
        st.lists(keys, max_size=4).map(",".join),
    ),
    st.tuples(st.just("mail.smtp.defaultserver"), keys),
    st.tuples(
        st.sampled_from(["mail.identity.id1.useremail", "mail.identity.id2.useremail"]),
        st.sampled_from(["jo@example.org", "JO@example.org", "other@example.org"]),
    ),
    st.tuples(names, values),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(pool, max_size=15), st.sampled_from(["\n", "\r\n"]))
def test_thunderbird_merge_is_idempotent_and_keeps_unrelated_lines(
    prefs: list[tuple[str, prefsjs.PrefValue]], newline: str
) -> None:
    text = "".join(prefsjs.pref_line(n, v, newline) for n, v in prefs)
    key, wanted = thunderbird.server_prefs(prefsjs.parse(text), RELAY)
    merged = thunderbird.merge_prefs(text, RELAY)
    assert _without(merged, set(wanted)) == _without(text, set(wanted))
    assert thunderbird.merge_prefs(merged, RELAY) == merged
    after = prefsjs.parse(merged)
    assert key in after.text("mail.smtpservers").split(",")
    assert after.text("mail.smtp.defaultserver") in after.text("mail.smtpservers").split(",")
    assert after.get(f"mail.smtpserver.{key}.port") == 587
