"""Password-free text: one port's details (shown on demand) and the report for IT.

No Qt here: `tr` is passed in, so the same lines serve the window and the copied report. The
report names each fact it gives; the password (Password hides itself, and we never call reveal())
and the mail clients' files (which may hold other accounts' passwords) never enter it.
"""

from __future__ import annotations

import platform
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import __version__
from ..core.explain import explain_port, explain_report
from ..core.results import PortResult
from ..core.text import QT_TRANSLATE_NOOP
from .state import WizardState

if TYPE_CHECKING:
    from ..core.clients.safewrite import ApplyResult

Tr = Callable[[str], str]


def _same(text: str) -> str:
    return text


def port_details(
    result: PortResult,
    tr: Tr = _same,
    *,
    status: Callable[[PortResult], str] | None = None,
    when: Callable[[str], str] = _same,
) -> list[str]:
    """The facts of one port; `tr` translates a label in the context "diagnostics" (the labels
    are marked for extraction here, out of the f-strings lupdate cannot read). `status` names the
    outcome (default: the JSON's word); `when` writes a certificate date (default: ISO 8601, as
    the report for IT has it)."""

    def line(label: str, value: str, indent: str = "  ") -> str:
        return f"{indent}{tr(label)}: {value}"

    yes, no = (
        tr(QT_TRANSLATE_NOOP("diagnostics", "yes")),
        tr(QT_TRANSLATE_NOOP("diagnostics", "no")),
    )
    port = tr(QT_TRANSLATE_NOOP("diagnostics", "Port"))
    said = status(result) if status is not None else result.status.value
    lines = [f"{port} {result.port}: {said} ({explain_port(result)})"]
    if result.detail:
        lines.append(line(QT_TRANSLATE_NOOP("diagnostics", "Detail"), result.detail))
    if result.greeting:
        lines.append(line(QT_TRANSLATE_NOOP("diagnostics", "Greeting"), result.greeting))
    if result.tls_version:
        encryption = f"{result.tls_version} {result.cipher}".rstrip()
        lines.append(line(QT_TRANSLATE_NOOP("diagnostics", "Encryption"), encryption))
    if result.implicit_fallback:
        fallback = QT_TRANSLATE_NOOP(
            "diagnostics", "Never greeted in clear; spoke TLS from the first byte"
        )
        lines.append(f"  {tr(fallback)}")
    facts = (
        (
            QT_TRANSLATE_NOOP("diagnostics", "Offers STARTTLS"),
            yes if result.starttls_offered else no,
        ),
        (
            QT_TRANSLATE_NOOP("diagnostics", "Extensions before TLS"),
            ", ".join(result.ehlo_before_tls),
        ),
        (
            QT_TRANSLATE_NOOP("diagnostics", "Extensions after TLS"),
            ", ".join(result.ehlo_after_tls),
        ),
        (QT_TRANSLATE_NOOP("diagnostics", "Login before TLS"), " ".join(result.auth_before_tls)),
        (QT_TRANSLATE_NOOP("diagnostics", "Login after TLS"), " ".join(result.auth_after_tls)),
    )
    lines += [line(label, value or "-") for label, value in facts]
    cert = result.certificate
    if cert is not None:
        trust = tr(
            QT_TRANSLATE_NOOP("diagnostics", "verified")
            if cert.verified
            else QT_TRANSLATE_NOOP("diagnostics", "pinned")
            if cert.pinned
            else QT_TRANSLATE_NOOP("diagnostics", "NOT trusted")
        )
        error = f" ({cert.error.value}: {cert.error_detail})" if cert.error else ""
        lines += [
            line(QT_TRANSLATE_NOOP("diagnostics", "Certificate"), trust + error),
            line(QT_TRANSLATE_NOOP("diagnostics", "Subject"), cert.subject, "    "),
            line(QT_TRANSLATE_NOOP("diagnostics", "Issuer"), cert.issuer, "    "),
            line(QT_TRANSLATE_NOOP("diagnostics", "Names"), ", ".join(cert.san) or "-", "    "),
            line(
                QT_TRANSLATE_NOOP("diagnostics", "Valid"),
                f"{when(cert.not_before)} - {when(cert.not_after)}",
                "    ",
            ),
            f"    SHA-256: {cert.sha256}",
        ]
    lines.append(line(QT_TRANSLATE_NOOP("diagnostics", "Time"), f"{result.elapsed_ms} ms"))
    return lines


def report_text(state: WizardState) -> str:
    """Everything found, for IT: built from named fields only (never a repr, never a file's
    contents), so it holds user, host, server replies and hashes, and no password."""
    out = [
        f"Relay Setup {__version__} diagnostics",
        f"System: {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"{ssl.OPENSSL_VERSION}",
        f"Relay: {state.host}",
        f"User: {state.user or '-'}",
        f"Email: {state.email or '-'}",
        f"Private CA: {state.ca_file or '-'}",
        f"Ports asked: {', '.join(str(p) for p in state.ports)}",
    ]
    if state.prefill.title:
        out.append(f"Profile: {state.prefill.title}")
    report = state.report
    if report is None:
        out.append("Probe: not run")
    else:
        out.append(
            f"Probe: {report.verdict.value} - {explain_report(report)} ({report.elapsed_ms} ms)"
        )
        for result in report.ports:
            out += port_details(result)
    if state.chosen is not None:
        s = state.setting()
        out.append(
            f"Chosen: port {s.port}, {s.tls.value}"
            + (f", pinned certificate {s.pin_sha256}" if s.pin_sha256 else "")
        )
    out += _login_lines(state)
    out.append(f"Password kept in keyring: {'yes' if state.remembered else 'no'}")
    if state.keyring_note:
        out.append(f"Keyring: {state.keyring_note}")
    out += _send_lines(state)
    for name, applied in state.written:
        out += _written_lines(name, state.client_versions.get(name), applied)
    out += [f"Event: {line}" for line in state.log]
    return "\n".join(out) + "\n"


def _login_lines(state: WizardState) -> list[str]:
    login = state.login
    if login is None:
        failed = state.login_failure
        return [f"Login: {f'failed: {failed}' if failed else 'not checked'}"]
    trust = "pinned certificate" if login.pinned else "verified certificate"
    return [
        f"Login: ok as {login.user} on port {login.port} ({login.tls.value}), "
        f"{login.mechanism} (offered: {' '.join(login.offered) or '-'}), {login.elapsed_ms} ms",
        f"  Server said: {login.reply}",
        f"  Encryption: {login.tls_version} {login.cipher}, {trust} {login.certificate_sha256}",
    ]


def _send_lines(state: WizardState) -> list[str]:
    sent = state.sent
    if sent is None:
        failed = state.send_failure
        return [f"Test message: {f'failed: {failed}' if failed else 'not sent'}"]
    return [
        f"Test message from {sent.mail_from} to {sent.to}: {sent.reply}",
        f"  Queue id: {sent.queue_id or '-'}, Message-ID: {sent.message_id}",
    ]


def _written_lines(name: str, version: str | None, result: ApplyResult) -> list[str]:
    """A client's files as paths and hashes: their contents may hold the user's other secrets."""
    lines = [f"Wrote {name}{f' {version}' if version else ''}:"]
    backups = {w.path: w.backup for w in result.written}
    for change in result.plan.changes:
        if not change.changed:
            lines.append(f"  {change.path}: unchanged")
            continue
        backup = backups.get(change.path)
        lines += [
            f"  {change.path}",
            f"    SHA-256 before: {change.old_sha256 or '(new file)'}",
            f"    SHA-256 after:  {change.new_sha256}",
            f"    Backup: {backup or '-'}",
        ]
    for action in result.actions:
        state = "done" if action.ok else f"failed ({action.returncode})"
        lines.append(f"  Ran {' '.join(action.command.argv)}: {state}")
    return lines
