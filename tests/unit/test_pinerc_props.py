"""Property tests of pinerc merging: every line outside smtp-server and customized-hdrs survives
byte-for-byte (continuation lines of other lists included), other relays and other headers stay
in their lists, From is the sender, a second merge changes nothing."""

from __future__ import annotations

import email.utils

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.clients import alpine, pinerc
from app.core.results import TlsMode
from app.core.settings import RelaySetting

RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")

OURS = (alpine.VARIABLE, alpine.HEADERS_VARIABLE)
names = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True).filter(lambda n: n not in OURS)
items = st.from_regex(r"[A-Za-z0-9._/=@:{}-][A-Za-z0-9._/=@:{} \t-]{0,20}", fullmatch=True).map(
    str.strip
)
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){0,2}", fullmatch=True)


@st.composite
def smtp_items(draw: st.DrawFn) -> str:
    host = draw(st.one_of(hosts, st.just(RELAY.host), st.just("MAIL.Example.ORG")))
    port = draw(st.sampled_from(["", ":25", ":465", ":587"]))
    switches = draw(st.sampled_from(["", "/tls", "/ssl/novalidate-cert", "/user=x"]))
    return f"{host}{port}{switches}"


@st.composite
def header_items(draw: st.DrawFn) -> str:
    """customized-hdrs items: From (ours, another, named, empty) and other headers."""
    tag = draw(st.sampled_from(["From", "from", "FROM", "Reply-To", "Organization", "X-Colour"]))
    address = draw(st.sampled_from([RELAY.sender, RELAY.sender.upper(), "jo@home.example.net"]))
    value = draw(
        st.sampled_from(["", address, f"Jo Bloggs <{address}>", f'"Jo B." <{address}>', "Purple"])
    )
    return f"{tag}: {value}".rstrip() if value else f"{tag}:"


def variable(name: str, values: list[str], newline: str, continuation: str) -> str:
    return f"{name}=" + f",{newline}{continuation}".join(values)


@st.composite
def pinerc_files(draw: st.DrawFn) -> str:
    """Comments, blank lines, variables (lists continued with TAB or spaces), smtp-server
    settings (none, one or repeated), LF or CRLF, maybe without a final newline."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    blocks = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["comment", "blank", "variable", "smtp", "headers"]))
        continuation = draw(st.sampled_from(["\t", "    ", "\t\t", " "]))
        if kind == "comment":
            blocks.append(draw(st.from_regex(r"#[^\n\r]{0,30}", fullmatch=True)))
        elif kind == "blank":
            blocks.append(draw(st.sampled_from(["", " ", "\t "])))
        elif kind == "variable":
            values = draw(st.lists(items.filter(bool), max_size=4))
            blocks.append(variable(draw(names), values, newline, continuation))
        elif kind == "smtp":
            values = draw(st.lists(smtp_items(), max_size=4))
            blocks.append(variable(alpine.VARIABLE, values, newline, continuation))
        else:
            values = draw(st.lists(header_items(), max_size=4))
            blocks.append(variable(alpine.HEADERS_VARIABLE, values, newline, continuation))
    text = newline.join(blocks)
    return text + newline if draw(st.booleans()) else text


def outside_ours(text: str) -> list[str]:
    """The lines that are not part of a smtp-server or customized-hdrs setting, endings
    included."""
    lines = pinerc.split_lines(text)
    ours = {i for v in pinerc.parse(text) if v.name in OURS for i in range(v.first, v.last + 1)}
    return [line for i, line in enumerate(lines) if i not in ours]


@settings(max_examples=150, deadline=None)
@given(pinerc_files())
def test_merge_keeps_other_lines_and_relays_and_is_idempotent(text: str) -> None:
    merged = alpine.merge_pinerc(text, RELAY)
    old, new = outside_ours(text), outside_ours(merged)
    # Lines outside our two lists (continuation lines of other lists too) are kept byte for
    # byte; only the very last may gain a line ending when a list is appended after it.
    assert new[:-1] == old[:-1]
    if old:
        assert new[-1] in (old[-1], old[-1] + "\n", old[-1] + "\r\n")
    # Every other variable reads back the same.
    others = [(v.name, v.values) for v in pinerc.parse(text) if v.name not in OURS]
    assert others == [(v.name, v.values) for v in pinerc.parse(merged) if v.name not in OURS]
    # Ours first; other hosts' relays kept after it, in order; no other item of our host.
    before = pinerc.current(pinerc.parse(text), alpine.VARIABLE)
    after = pinerc.current(pinerc.parse(merged), alpine.VARIABLE)
    assert after[0] == alpine.smtp_entry(RELAY)
    assert after[1:] == tuple(i for i in before if alpine._host_of(i) != RELAY.host)

    # The first From (the one Alpine uses) is the sender. The user's list stays as it was when
    # its first From already was; else that From is ours, the only one, other headers in order.
    def froms(headers: tuple[str, ...]) -> list[str]:
        return [h for h in headers if h.split(":", 1)[0].strip().lower() == "from"]

    def address(header: str) -> str:
        return email.utils.parseaddr(header.split(":", 1)[1])[1].lower()

    headers_before = pinerc.current(pinerc.parse(text), alpine.HEADERS_VARIABLE)
    headers = pinerc.current(pinerc.parse(merged), alpine.HEADERS_VARIABLE)
    assert address(froms(headers)[0]) == RELAY.sender
    if froms(headers_before) and address(froms(headers_before)[0]) == RELAY.sender:
        assert headers == headers_before
    else:
        assert len(froms(headers)) == 1
        others = froms(headers_before)
        assert [h for h in headers if h not in froms(headers)] == [
            h for h in headers_before if h not in others
        ]
    # Each of our lists reads the same on every line (whichever one Alpine reads); twice is once.
    for name, value in ((alpine.VARIABLE, after), (alpine.HEADERS_VARIABLE, headers)):
        assert {v.values for v in pinerc.parse(merged) if v.name == name} == {value}
    assert alpine.merge_pinerc(merged, RELAY) == merged


@settings(max_examples=50, deadline=None)
@given(pinerc_files())
def test_continuation_lines_survive_setting_an_unrelated_list(text: str) -> None:
    merged = pinerc.set_list(text, "zz-relay-setup-test", ("a", "b"))
    assert merged.startswith(text)
    assert pinerc.current(pinerc.parse(merged), "zz-relay-setup-test") == ("a", "b")
    assert pinerc.set_list(merged, "zz-relay-setup-test", ("a", "b")) == merged
