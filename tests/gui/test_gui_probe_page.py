"""The probe page as a person sees it: a row per port from the start, in the order asked; Next as
soon as no port still being tried could do better; a subtitle that says what was found; nothing
cut off or clipped at 600x450; nothing moving when the certificate box appears; dates in the
user's locale; every control named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QGroupBox,
    QLabel,
    QProgressBar,
    QStyle,
    QWidget,
)
from servers import Pki, never_greets, raw_server, smtp_server
from wizard_helpers import MakeWizard, next_enabled, relay_ports, snap

from app.core.demo_relay import DemoRelay
from app.core.results import PortSpec
from app.gui.certificate_text import grouped_fingerprint, local_date
from app.gui.port_table import MEANING
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def rows(wizard: RelayWizard) -> list[tuple[int, str, str]]:
    """(port, result, meaning) of every row, top to bottom."""
    table = wizard.probe_page.table
    items = (table.topLevelItem(i) for i in range(table.topLevelItemCount()))
    return [(int(i.text(0)), i.text(2), i.text(MEANING)) for i in items if i is not None]


def status_of(wizard: RelayWizard, port: int) -> str:
    return next(status for number, status, _ in rows(wizard) if number == port)


def small(wizard: RelayWizard) -> None:
    wizard.resize(600, 450)
    QApplication.processEvents()
    assert (wizard.width(), wizard.height()) == (600, 450)


@pytest.fixture
def german() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(GERMAN)
    try:
        yield
    finally:
        QLocale.setDefault(before)


def test_rows_from_the_start_and_next_before_a_silent_port(
    make_wizard: MakeWizard, relay: DemoRelay, qtbot: Any, tmp_path: Path
) -> None:
    """A port that never greets is still waited for (up to its time), but an implicit-TLS port
    verified is as good as it could ever be: Next is enabled while the silent row still waits,
    and going Next stops the silent port at once."""
    with raw_server(never_greets) as silent:
        asked = (PortSpec(silent), *relay_ports(relay))
        wizard = make_wizard(
            Prefill(host="localhost", ports=asked, ca_file=relay.ca_file),
            threaded=True,
            timeout=60.0,
            deadline=120.0,
        )
        wizard.next()
        page = wizard.probe_page
        order = [spec.port for spec in asked]
        # Before any port answered: a row for each, in the order asked, each saying how long.
        assert rows(wizard) == [(p, "testing…", "waiting… up to 120 s") for p in order]
        assert not next_enabled(wizard)
        snap(wizard, "2-probe-waiting", tmp_path)
        qtbot.waitUntil(lambda: next_enabled(wizard), timeout=10_000)
        assert page.busy() and status_of(wizard, silent) == "testing…"
        snap(wizard, "2-probe-settled", tmp_path)
        assert [port for port, _, _ in rows(wizard)] == order  # not the order they answered
        assert wizard.state.chosen is not None
        assert wizard.state.chosen.port == relay.implicit_port
        assert str(silent) in page.verdict.text()  # says what it still waits for
        wizard.next()
        assert wizard.currentId() == RelayWizard.ACCOUNT
        assert not page.busy()  # Cancel here is not held up by the ports left behind
        # stopped, not timed out: the report comes at once, the silent port cancelled
        qtbot.waitUntil(lambda: wizard.state.report is not None, timeout=3_000)
        assert status_of(wizard, silent) == "cancelled"
        report = wizard.state.report
        assert report is not None and report.recommended is not None
        assert report.recommended.port == relay.implicit_port
        assert wizard.state.chosen.port == relay.implicit_port  # the report did not change it


def test_next_waits_while_a_port_could_still_do_better(
    make_wizard: MakeWizard, relay: DemoRelay, qtbot: Any
) -> None:
    """STARTTLS verified, and a port still silent that could yet speak implicit TLS (which is
    preferred): Next stays disabled until the probe ends."""
    with raw_server(never_greets) as silent:
        wizard = make_wizard(
            Prefill(
                host="localhost",
                ports=(PortSpec(relay.starttls_port), PortSpec(silent)),
                ca_file=relay.ca_file,
            ),
            threaded=True,
            timeout=60.0,
            deadline=120.0,
        )
        wizard.next()
        page = wizard.probe_page
        qtbot.waitUntil(lambda: status_of(wizard, relay.starttls_port) == "answers")
        QApplication.processEvents()
        assert page.busy() and status_of(wizard, silent) == "testing…"
        assert not next_enabled(wizard)
        wizard.button(wizard.WizardButton.CancelButton).click()
        qtbot.waitUntil(lambda: not page.busy(), timeout=3_000)
        assert next_enabled(wizard)  # what did answer is usable


def test_subtitle_says_what_was_found(
    make_wizard: MakeWizard, relay: DemoRelay, tmp_path: Path
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay), ca_file=relay.ca_file))
    wizard.next()
    small(wizard)
    snap(wizard, "2-probe-600x450-recommended", tmp_path)
    subtitle = wizard.probe_page.subTitle()
    assert "at once" not in subtitle
    assert "localhost" in subtitle and f"port {relay.implicit_port} works" in subtitle


def test_subtitle_and_details_of_a_port_without_encryption(make_wizard: MakeWizard) -> None:
    """A port that answers without TLS is never called "ok": not in its row, not in its
    details; and the subtitle says nothing can be used."""
    with smtp_server("plain") as plain:
        wizard = make_wizard(Prefill(host="localhost", ports=(PortSpec(plain.port),)))
        wizard.next()
        page = wizard.probe_page
        assert "no port can be used safely" in page.subTitle()
        assert status_of(wizard, plain.port) == "answers, but without encryption"
        page.table.setCurrentItem(page.table.topLevelItem(0))
        first = page.details.toPlainText().splitlines()[0]
        assert first.startswith(f"Port {plain.port}: answers, but without encryption")
        assert ": ok" not in page.details.toPlainText()


def _visible_parts(page: QWidget) -> list[QWidget]:
    return [w for w in page.findChildren(QWidget) if w.isVisibleTo(page) and w.width() > 0]


def test_nothing_cut_off_at_600x450(
    make_wizard: MakeWizard, relay: DemoRelay, tmp_path: Path
) -> None:
    """No CA: every row's meaning is the long advice. At 600x450 it wraps (never "…"), every
    row is shown whole, the fingerprint is in groups, and nothing of the page lies beyond the
    visible width (the page scrolls only up and down)."""
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.next()
    small(wizard)
    page = wizard.probe_page
    table = page.table
    assert table.wordWrap() and table.textElideMode() is Qt.TextElideMode.ElideNone
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    width = table.header().sectionSize(MEANING) - 2 * margin
    shown = 0
    for i in range(table.topLevelItemCount()):
        item = table.topLevelItem(i)
        assert item is not None
        text = item.text(MEANING)
        needed = table.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text
        )
        assert needed.height() > table.fontMetrics().lineSpacing()  # long enough to wrap here
        row = table.visualItemRect(item)
        assert row.height() >= needed.height(), (text, row, needed)
        shown += row.height()
    assert table.viewport().height() >= shown  # every row whole, no scrolling inside the table
    assert table.header().length() <= table.viewport().width()  # no column beyond the edge

    cert = wizard.state.report.ports[0].certificate
    assert cert is not None
    groups = grouped_fingerprint(cert.sha256)
    assert len(groups) == 8 and all(len(g.split(":")) == 4 for g in groups)
    assert " ".join(groups) in page.pin_text.text()
    assert page.pin_box.isVisibleTo(wizard)

    viewport = page.scroll_area.viewport()
    assert page.content.width() <= viewport.width()
    for part in _visible_parts(page.content):
        left = part.mapTo(viewport, QPoint(0, 0)).x()
        assert left >= 0 and left + part.width() <= viewport.width(), part.objectName()
    # the pin box's label needs no more than the room it has
    assert page.pin_text.minimumSizeHint().width() <= page.pin_text.width()
    snap(wizard, "2-probe-600x450", tmp_path)


def test_certificate_box_moves_nothing(make_wizard: MakeWizard, pki: Any, tmp_path: Path) -> None:
    """One port verified, one with the relay's own certificate expired (the same issuer and
    name: not an interception): selecting the latter shows the certificate box; everything above
    it stays where it was."""
    with (
        smtp_server("starttls", pki.server_context()) as good,
        smtp_server("implicit", pki.expired_context()) as odd,
    ):
        ports = (PortSpec(odd.port, implicit=True), PortSpec(good.port))
        wizard = make_wizard(Prefill(host="localhost", ports=ports, ca_file=pki.ca_file))
        wizard.next()
        page = wizard.probe_page
        assert wizard.state.chosen is not None and wizard.state.chosen.port == good.port
        assert not page.pin_box.isVisibleTo(wizard)
        watched = [page.spinner, page.table, page.verdict, page.again, page.show_details]
        before = [w.geometry() for w in watched]
        page.table.setCurrentItem(page.table.topLevelItem(0))  # the self-signed port
        QApplication.processEvents()
        assert page.pin_box.isVisibleTo(wizard)
        assert [w.geometry() for w in watched] == before
        assert page.pin_box.geometry().top() >= page.again.geometry().bottom()


def test_certificate_dates_in_the_users_locale(
    german: None, make_wizard: MakeWizard, relay: DemoRelay
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.next()
    page = wizard.probe_page
    cert = wizard.state.report.ports[0].certificate
    assert cert is not None and cert.not_after.startswith("3000-01-01")
    text = page.pin_text.text()
    assert "1. Januar 3000" in text and local_date(cert.not_after, GERMAN) in text
    assert cert.not_after not in text
    page.show_details.click()
    assert "1. Januar 3000" in page.details.toPlainText()


def test_every_control_has_an_accessible_name_and_rows_have_icon_and_words(
    make_wizard: MakeWizard, relay: DemoRelay
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.next()
    page = wizard.probe_page
    kinds = (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QProgressBar, QGroupBox)
    controls = [w for w in page.findChildren(QWidget) if isinstance(w, kinds)]
    controls += [w for w in page.findChildren(QLabel) if w.objectName()]
    assert len(controls) >= 10
    unnamed = [f"{type(w).__name__} {w.objectName()}" for w in controls if not w.accessibleName()]
    assert unnamed == []
    for i in range(page.table.topLevelItemCount()):
        item = page.table.topLevelItem(i)
        assert item is not None
        assert item.text(2) and not item.icon(2).isNull()  # never colour (an icon) alone


def test_what_the_network_does_is_said_above_the_rows(
    make_wizard: MakeWizard, pki: Any, tmp_path: Path
) -> None:
    """Port 465 proves the relay; the other port shows a certificate from another CA (someone
    else's mail server, as a hotel's SMTP proxy): the page says so in a sentence, and the
    recommendation stays on the relay's own port."""
    other = Pki(trustme.CA(), tmp_path)
    with (
        smtp_server("implicit", pki.server_context()) as relay,
        smtp_server("starttls", other.server_context()) as proxy,
    ):
        ports = (PortSpec(relay.port, implicit=True), PortSpec(proxy.port))
        wizard = make_wizard(Prefill(host="localhost", ports=ports, ca_file=pki.ca_file))
        wizard.next()
        page = wizard.probe_page
        said = page.verdict.text()
        assert (
            f"Port {proxy.port} on this network is answered by someone else's mail server, "
            "not your relay." in said
        ), said
        assert f"Port {relay.port} works: use it." in said
        assert wizard.state.chosen is not None and wizard.state.chosen.port == relay.port
        assert proxy.auth_seen == []
        snap(wizard, "2-probe-intercepted", tmp_path)
