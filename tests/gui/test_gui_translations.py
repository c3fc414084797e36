"""Translations (issue 15 items 4 and 10): the German catalogue holds every string the code has
now, translated; the German wizard shows no English and cuts nothing off on any page; and no
window shows a command-line option or OpenSSL's internals, in English or in German."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from loopback import fresh_loopback_address
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTreeWidget,
    QWidget,
)
from servers import Pki, smtp_server
from wizard_helpers import MakeWizard, relay_ports, snap

from app.core.clients import mozprofiles, passcmd
from app.core.demo_relay import DemoRelay
from app.core.results import TlsMode
from app.core.settings import RelaySetting
from app.core.text import Remedy
from app.gui import words
from app.gui.main import install_translations
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "resources" / "translations"
TS = FOLDER / "relay_setup_de.ts"
OPTION = re.compile(r"(?<![\w-])--[a-z]")  # `--ca`, not "—" or a diff's "---"
OPENSSL = re.compile(r"_ssl\.c|\[(SSL|X509|PEM|ASN1): ")


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, FOLDER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(ts: Path) -> list[tuple[str, str, str]]:
    """(context, source, translation) of every message."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):  # noqa: S314  (our own file)
        name = context.findtext("name", "")
        for message in context.iter("message"):
            out.append((name, message.findtext("source", ""), message.findtext("translation", "")))
    return out


MESSAGES = _messages(TS)


def test_the_catalogue_translates_every_string_of_the_code(tmp_path: Path) -> None:
    """Extracted afresh from app/gui and app/core: a string added or changed since the
    catalogue was last updated is named here."""
    lupdate = shutil.which("pyside6-lupdate") or str(
        Path(sys.executable).with_name("pyside6-lupdate")
    )
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    subprocess.run(
        [
            *(lupdate, "-silent", "-no-obsolete", "-locations", "none", "-extensions", "py"),
            *("-source-language", "en", "-target-language", "de", "app/gui", "app/core"),
            *("-ts", str(fresh)),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    missing = _tool("untranslated").untranslated(fresh)
    assert not missing, (
        f"{len(missing)} untranslated in {TS.name} (run `bash resources/translations/update.sh`, "
        "then translate):\n" + "\n".join(f"  [{context}] {source!r}" for context, source in missing)
    )
    assert len(MESSAGES) > 150


@pytest.mark.parametrize(
    ("context", "source", "translation"), MESSAGES, ids=[f"{c}:{s[:40]}" for c, s, _ in MESSAGES]
)
def test_a_translation_keeps_fields_markup_and_its_mnemonic(
    context: str, source: str, translation: str
) -> None:
    def marks(text: str) -> list[str]:
        return sorted(re.findall(r"%\d|\{\w+\}|<[^>]+>", text))

    assert translation.strip(), (context, source)
    assert marks(translation) == marks(source), (context, source)
    assert translation.count("&") == source.count("&"), (context, source)


# -- the German wizard ----------------------------------------------------------------------------


@pytest.fixture
def german(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """The catalogue compiled as a build does it, loaded as at start for a German user."""
    _tool("qmbuild").compile_catalogues(tmp_path / "qm")
    locale = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    installed = install_translations(qapp, locale, tmp_path / "qm")
    assert len(installed) == 2  # ours and Qt's (the standard buttons)
    before = QLocale()
    QLocale.setDefault(locale)  # as on a German system: dates and numbers the German way
    yield
    QLocale.setDefault(before)
    for translator in installed:
        qapp.removeTranslator(translator)


def _plain(text: str) -> str:
    """As a person reads it: no markup, no mnemonic's "&"."""
    text = re.sub(r"&(?!#?\w+;)(?=\w)", "", re.sub(r"<[^>]+>", " ", text))  # not an entity
    return " ".join(html.unescape(text).split())


# English a German page must not show: each source that the catalogue words differently, and
# the fixed parts (12 characters or more) of the templates among them.
ENGLISH = {
    _plain(s) for _, s, t in MESSAGES if _plain(s) != _plain(t) and not re.search(r"%\d|\{", s)
}
ENGLISH_PARTS = {
    part.strip()
    for _, s, t in MESSAGES
    if _plain(s) != _plain(t)
    for part in re.split(r"%\d|\{\w+\}", _plain(s))
    if len(part.strip()) >= 12 and part.strip() not in _plain(t)
} | {e for e in ENGLISH if len(e) >= 12}
# The core's sentences are built of short parts ("{claim}, but {port} is closed"): in the
# contexts of discovery's and the mail programs' words, every word of a source that no German
# translation uses (not everywhere: host names and certificates hold English words of their own).
_GERMAN_WORDS = {w.lower() for _, _, t in MESSAGES for w in re.findall(r"[A-Za-z]{3,}", _plain(t))}
_CORE_WORDS = {
    word
    for context, s, t in MESSAGES
    if context in ("discover", "clients") and _plain(s) != _plain(t)
    for part in re.split(r"%\d|\{\w+\}", _plain(s))
    for word in re.findall(r"[A-Za-z]{3,}", part)
    if word.lower() not in _GERMAN_WORDS
}
# A word alone, not part of a name (nothing.test, alice@..., ~/.msmtprc, git-email).
ENGLISH_WORDS = re.compile(r"(?<![\w.@/-])(?:{})(?![\w@/-]|\.\w)".format("|".join(_CORE_WORDS)))


def shown_widgets(wizard: RelayWizard) -> list[QWidget]:
    """The current page's widgets and the wizard's buttons (Next, Back ...), each once."""
    page = wizard.currentPage()
    buttons = [b for b in wizard.findChildren(QAbstractButton) if not page.isAncestorOf(b)]
    return [w for w in [*page.findChildren(QWidget), *buttons] if w.isVisibleTo(wizard)]


def visible_texts(wizard: RelayWizard) -> list[tuple[str, str]]:
    """(what, text) of everything the current page and the wizard's buttons show as words;
    not the diff or the port details (a settings file's and a server's own text)."""
    page = wizard.currentPage()
    found = [("title", page.title()), ("subtitle", page.subTitle())]
    for widget in shown_widgets(wizard):
        name = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((name, widget.text()))
        elif isinstance(widget, QLineEdit):
            found.append((f"{name} placeholder", widget.placeholderText()))
        elif isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            found += [(f"{name} header", header.text(c)) for c in range(widget.columnCount())]
            for row in range(widget.topLevelItemCount()):
                item = widget.topLevelItem(row)
                found += [(f"{name} row {row}", item.text(c)) for c in range(1, 4)]
        elif isinstance(widget, QListWidget):
            for i in range(widget.count()):  # a program's name, and why it cannot be set up
                found += [(f"{name} item", widget.item(i).text()), (name, widget.item(i).toolTip())]
    return [(what, _plain(text)) for what, text in found if _plain(text)]


def english_on(wizard: RelayWizard) -> list[tuple[str, str]]:
    return [
        (what, text)
        for what, text in visible_texts(wizard)
        if text in ENGLISH
        or any(part in text for part in ENGLISH_PARTS)
        or ENGLISH_WORDS.search(text)
    ]


def cut_off(wizard: RelayWizard) -> list[tuple[str, str, int, int]]:
    """Labels that do not wrap and buttons narrower than their text needs."""
    QApplication.processEvents()
    short = []
    pages = [wizard.page(i) for i in wizard.pageIds()]
    header = [  # the wizard's own title and subtitle, above the page
        label
        for label in wizard.findChildren(QLabel)
        if label.isVisibleTo(wizard) and not any(p.isAncestorOf(label) for p in pages)
    ]
    for widget in [*shown_widgets(wizard), *header]:
        if isinstance(widget, QLabel) and widget.wordWrap():
            # Wrapped, but given fewer lines than its text needs (the header's subtitle was).
            need, have = widget.heightForWidth(widget.width()), widget.height()
            if widget.text() and need > have:
                short.append((type(widget).__name__, _plain(widget.text()), need, have))
            continue
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            need, have = widget.sizeHint().width(), widget.width()
            if need > have:
                short.append((type(widget).__name__, _plain(widget.text()), need, have))
    return short


def check_page(wizard: RelayWizard, checked: list[int], tmp_path: Path) -> None:
    assert english_on(wizard) == [], f"English on page {wizard.currentId()}"
    assert cut_off(wizard) == [], f"cut off on page {wizard.currentId()}"
    assert not [t for _, t in visible_texts(wizard) if OPTION.search(t) or OPENSSL.search(t)]
    checked.append(wizard.currentId())
    # The page as a German reader sees it (its last state; make.sh keeps the default size's).
    size = wizard.size()
    small = "-600x450" if (size.width(), size.height()) == (600, 450) else ""
    name = type(wizard.currentPage()).__name__.removesuffix("Page").lower()
    snap(wizard, f"de-{wizard.currentId()}-{name}{small}", tmp_path)


@pytest.mark.parametrize("size", [None, (600, 450)], ids=["default-size", "600x450"])
def test_the_german_wizard_has_no_english_and_nothing_cut_off(
    size: tuple[int, int] | None,
    german: None,
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    tmp_path: Path,
) -> None:
    """Every page, in the states a person meets: a host name that is none, a file that is no
    certificate, a certificate nobody vouches for, a wrong password, then on to the end."""
    user, password = account
    checked: list[int] = []
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    if size is not None:
        wizard.resize(*size)
        assert (wizard.width(), wizard.height()) == size  # no page's German words widen it
    start = wizard.start_page
    assert start.title() == "Der Mail-Relay-Server Ihrer Organisation"
    start.host.setText("mail_relay.example.org")  # refused as it is typed
    assert "ist kein gültiger Hostname" in start.problem.text()
    check_page(wizard, checked, tmp_path)
    start.host.setText("localhost")
    start.email.setText(user)
    not_a_certificate = tmp_path / "ca.pem"
    not_a_certificate.write_text("hello\n")
    start.ca_file.setText(str(not_a_certificate))
    wizard.next()
    assert wizard.currentId() == RelayWizard.START
    assert "ist kein PEM-Zertifikat" in start.problem.text()
    check_page(wizard, checked, tmp_path)

    start.ca_file.setText("")  # no CA: the demo relay's certificate is from an unknown issuer
    wizard.next()
    assert wizard.currentId() == RelayWizard.PROBE
    probe = wizard.probe_page
    meanings = [probe.table.topLevelItem(i).text(3) for i in range(probe.table.topLevelItemCount())]
    assert meanings and all("„CA-Datei wählen…“" in m for m in meanings)
    assert probe.pin_box.isVisibleTo(wizard)
    # the certificate's date as a German reader writes it (it was "Wednesday, 1 January ...")
    days = "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag"
    assert re.search(f"Gültig bis: ({days}), ", probe.pin_text.text()), probe.pin_text.text()
    check_page(wizard, checked, tmp_path)

    wizard.back()
    start.ca_file.setText(relay.ca_file)
    wizard.next()
    assert wizard.state.chosen is not None and "Empfohlen" in probe.verdict.text()
    check_page(wizard, checked, tmp_path)

    wizard.next()
    page = wizard.account_page
    page.password.setText("not-the-password")
    wizard.next()
    assert wizard.currentId() == RelayWizard.ACCOUNT
    assert "falscher Benutzername oder falsches Passwort" in page.status.text()
    check_page(wizard, checked, tmp_path)
    page.password.setText(password)
    wizard.next()
    assert wizard.currentId() == RelayWizard.ACCOUNT  # the login's headline, in German
    check_page(wizard, checked, tmp_path)
    wizard.next()

    assert wizard.currentId() == RelayWizard.MESSAGE
    check_page(wizard, checked, tmp_path)
    wizard.message_page.send.click()
    assert wizard.state.sent is not None
    check_page(wizard, checked, tmp_path)
    wizard.next()

    clients_list = wizard.clients_page.list
    assert wizard.currentId() == RelayWizard.CLIENTS
    reasons = [clients_list.item(i).toolTip() for i in range(clients_list.count())]
    assert "kein Thunderbird-Profil" in " ".join(reasons)  # this home has none
    assert "kein aerc-Konto" in " ".join(reasons)
    check_page(wizard, checked, tmp_path)
    clients = wizard.clients_page
    for name in clients.names():
        clients.set_checked(name, name == "msmtp")
    # msmtp's notes under the list (its keyring note is the core's wording, translated)
    clients_list.setCurrentRow(clients.names().index("msmtp"))
    assert "msmtp liest das Passwort aus dem Schlüsselbund" in clients.about.text()
    check_page(wizard, checked, tmp_path)
    clients.write_button.click()
    check_page(wizard, checked, tmp_path)
    wizard.next()

    assert wizard.currentId() == RelayWizard.DONE
    check_page(wizard, checked, tmp_path)
    # Every page but Finding your relay, which a named relay skips: the next test walks it.
    assert set(checked) == set(wizard.pageIds()) - {RelayWizard.DISCOVER}


@pytest.mark.parametrize("size", [None, (600, 450)], ids=["default-size", "600x450"])
def test_the_german_search_for_the_relay_has_no_english_and_nothing_cut_off(
    size: tuple[int, int] | None,
    german: None,
    make_wizard: MakeWizard,
    qtbot: Any,
    dns_server: Any,
    tmp_path: Path,
) -> None:
    """The start page by the address, and Finding your relay when no source names one (the test
    DNS server knows nothing of the domain)."""
    checked: list[int] = []
    wizard = make_wizard(Prefill(), threaded=True, nameserver=dns_server.nameserver)
    if size is not None:
        wizard.resize(*size)
    wizard.start_page.email.setText("bob@nothing.test")
    check_page(wizard, checked, tmp_path)
    wizard.next()
    assert wizard.currentId() == RelayWizard.DISCOVER
    page = wizard.discover_page
    qtbot.waitUntil(lambda: not page.busy(), timeout=30_000)
    assert "Kein Relay-Server für nothing.test gefunden" in page.result.text()
    check_page(wizard, checked, tmp_path)
    assert checked == [RelayWizard.START, RelayWizard.DISCOVER]


def test_the_german_search_shows_a_source_s_failure_and_a_disagreement_in_german(
    german: None,
    make_wizard: MakeWizard,
    qtbot: Any,
    dns_server: Any,
    pki: Pki,
    tmp_path: Path,
) -> None:
    """The core's words on Finding your relay: DNS SRV says the submission service is not
    offered, and names the relay first on a port that is closed (a disagreement)."""
    name, user = "relay.example.test", "alice@example.test"
    address = fresh_loopback_address()
    with socket.socket() as free:  # a port nobody listens on: refused
        free.bind((address, 0))
        closed = free.getsockname()[1]
    context = pki.server_context(name)
    with smtp_server("implicit", context, {user: "pw"}, address=address) as server:
        dns_server.add(
            f"_submissions._tcp.example.test. SRV 0 1 {closed} {name}.\n"
            f"_submissions._tcp.example.test. SRV 1 1 {server.port} {name}.\n"
            "_submission._tcp.example.test. SRV 0 0 0 .\n"
            f"{name}. A {address}"
        )
        wizard = make_wizard(
            Prefill(ca_file=pki.ca_file), threaded=True, nameserver=dns_server.nameserver
        )
        wizard.start_page.email.setText(user)
        wizard.next()
        page = wizard.discover_page
        qtbot.waitUntil(lambda: not page.busy(), timeout=30_000)
        assert page.report is not None and page.report.chosen is not None
        answers = [page.answers.item(i).text() for i in range(page.answers.count())]
        assert any("Dienst ausdrücklich nicht angeboten" in a for a in answers), answers
        result = page.result.text()
        assert f"{closed} ist geschlossen; {server.port} (implizites TLS) funktioniert" in result
        checked: list[int] = []
        check_page(wizard, checked, tmp_path)


def test_the_checks_see_english_and_cut_off_text(make_wizard: MakeWizard) -> None:
    """The page checks above can fail: on the English wizard, and on a button made too narrow."""
    wizard = make_wizard(Prefill(host="localhost"))
    assert ("title", "Your organisation's mail relay") in english_on(wizard)
    assert cut_off(wizard) == []
    wizard.start_page.browse.setFixedWidth(20)
    assert [text for _, text, *_ in cut_off(wizard)] == ["Browse…"]


# -- no command line and no OpenSSL in a window ---------------------------------------------------


def test_no_option_or_openssl_text_in_the_catalogue_or_the_windows_words() -> None:
    texts = [text for _, source, translation in MESSAGES for text in (source, translation)]
    texts += [words.remedy(r) for r in Remedy]
    assert [t for t in texts if OPTION.search(t) or OPENSSL.search(t)] == []


def _no_profile(home: Path) -> BaseException:
    with pytest.raises(Exception) as caught:
        mozprofiles.find_profile(home / ".thunderbird")
    return caught.value


def _pinned(_home: Path) -> BaseException:
    relay = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo", pin_sha256="AA:BB")
    with pytest.raises(Exception) as caught:
        passcmd.check_relay("aerc", relay)
    return caught.value


@pytest.mark.parametrize(("make_error", "option"), [(_no_profile, "--config"), (_pinned, "--ca")])
def test_an_error_names_the_option_on_the_command_line_and_not_in_a_window(
    qapp: QApplication, tmp_path: Path, make_error: Any, option: str
) -> None:
    error = make_error(tmp_path)
    assert option in str(error)  # the CLI's words
    shown = words.say_error(error)
    assert not OPTION.search(shown) and shown != str(error)


@pytest.mark.parametrize(
    ("content", "cli_words", "window_words"),
    [
        (b"\x30\x82\x01\x0a binary", "openssl x509 -inform der", "PEM (text)"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "damaged", "damaged"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "private key", "key"),
    ],
)
def test_a_file_that_is_no_certificate_is_said_without_openssl_internals(
    qapp: QApplication, tmp_path: Path, content: bytes, cli_words: str, window_words: str
) -> None:
    from app.core.cafile import ca_file_problem, check_ca_file

    path = tmp_path / "ca.pem"
    path.write_bytes(content)
    problem = ca_file_problem(path)
    assert problem is not None
    assert cli_words in (check_ca_file(path) or "")
    shown = words.say(problem)
    assert window_words in shown and not OPENSSL.search(shown) and "openssl" not in shown


# -- the core's rarer words in a window: the keyring, a port's mode, a file changed meanwhile ----


def _no_host(_tmp: Path) -> BaseException:
    from app.core.secrets import check_entry

    with pytest.raises(ValueError) as caught:
        check_entry("", "jo")
    return caught.value


def _file_keyring(_tmp: Path) -> BaseException:
    import keyring
    import keyring.backends.fail

    from app.core.secrets import KeyringUnavailable, open_store

    chosen = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable) as caught:
            open_store()
    finally:
        keyring.set_keyring(chosen)
    return caught.value


def _port_mode(_tmp: Path) -> BaseException:
    from app.core.results import PortSpec

    with pytest.raises(ValueError) as caught:
        PortSpec.parse("587/tsl")
    return caught.value


def _changed_meanwhile(tmp: Path) -> BaseException:
    from app.core.clients.base import ClientError, FileChange, Plan
    from app.core.clients.safewrite import apply

    path = tmp / "rc"
    path.write_text("edited meanwhile\n")
    plan = Plan("msmtp", (FileChange(path, b"as read\n", b"ours\n"),))
    with pytest.raises(ClientError) as caught:
        apply(plan, data=tmp / "data")
    return caught.value


@pytest.mark.parametrize(
    ("make_error", "english", "german_words"),
    [
        (_no_host, "the keyring entry needs a host", "braucht einen Host"),
        (_file_keyring, "no usable OS keyring", "kein nutzbarer Schlüsselbund"),
        (_port_mode, "unknown port mode 'tsl'", "unbekannte Port-Art 'tsl'"),
        (_changed_meanwhile, "changed since it was read", "seit dem Lesen geändert"),
    ],
)
def test_the_core_s_rarer_errors_are_german_in_a_window_and_english_on_the_command_line(
    german: None, tmp_path: Path, make_error: Any, english: str, german_words: str
) -> None:
    error = make_error(tmp_path)
    assert english in str(error)  # the command line's words
    shown = words.say_error(error)
    assert german_words in shown and english not in shown
    assert not ENGLISH_WORDS.search(shown), shown


def test_no_port_given_is_german(german: None) -> None:
    from app.gui.pages.start import parse_ports

    with pytest.raises(ValueError) as caught:
        parse_ports(" , ")
    assert words.say_error(caught.value) == "kein Port angegeben"
