"""Password-free text: one port's details (shown on demand) and the report for IT.

No Qt here: `tr` is passed in, so the same lines serve the window and the copied report. Nothing
in WizardState can leak the password: Password hides itself, and we never call reveal().
"""

from __future__ import annotations

import platform
from collections.abc import Callable

from .. import __version__
from ..core.explain import explain_port, explain_report
from ..core.results import PortResult
from .state import WizardState

Tr = Callable[[str], str]


def _same(text: str) -> str:
    return text


def port_details(result: PortResult, tr: Tr = _same) -> list[str]:
    lines = [f"{tr('Port')} {result.port}: {result.status.value} ({explain_port(result)})"]
    if result.detail:
        lines.append(f"  {tr('Detail')}: {result.detail}")
    if result.greeting:
        lines.append(f"  {tr('Greeting')}: {result.greeting}")
    if result.tls_version:
        lines.append(f"  {tr('Encryption')}: {result.tls_version} {result.cipher}".rstrip())
    if result.implicit_fallback:
        lines.append(f"  {tr('Never greeted in clear; spoke TLS from the first byte')}")
    lines.append(f"  {tr('Offers STARTTLS')}: {tr('yes') if result.starttls_offered else tr('no')}")
    lines.append(f"  {tr('Extensions before TLS')}: {', '.join(result.ehlo_before_tls) or '-'}")
    lines.append(f"  {tr('Extensions after TLS')}: {', '.join(result.ehlo_after_tls) or '-'}")
    lines.append(f"  {tr('Login before TLS')}: {' '.join(result.auth_before_tls) or '-'}")
    lines.append(f"  {tr('Login after TLS')}: {' '.join(result.auth_after_tls) or '-'}")
    cert = result.certificate
    if cert is not None:
        trust = (
            tr("verified") if cert.verified else tr("pinned") if cert.pinned else tr("NOT trusted")
        )
        lines += [
            f"  {tr('Certificate')}: {trust}"
            + (f" ({cert.error.value}: {cert.error_detail})" if cert.error else ""),
            f"    {tr('Subject')}: {cert.subject}",
            f"    {tr('Issuer')}: {cert.issuer}",
            f"    {tr('Names')}: {', '.join(cert.san) or '-'}",
            f"    {tr('Valid')}: {cert.not_before} - {cert.not_after}",
            f"    SHA-256: {cert.sha256}",
        ]
    lines.append(f"  {tr('Time')}: {result.elapsed_ms} ms")
    return lines


def report_text(state: WizardState) -> str:
    """Everything found, for IT. Holds user, host and server replies; never the password."""
    out = [
        f"Relay Setup {__version__} diagnostics",
        f"System: {platform.system()} {platform.release()}, Python {platform.python_version()}",
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
    out.append(f"Login: {_describe(state.login, 'not checked')}")
    out.append(f"Password kept in keyring: {'yes' if state.remembered else 'no'}")
    if state.keyring_note:
        out.append(f"Keyring: {state.keyring_note}")
    if state.sent is not None:
        out.append(
            f"Test message to {state.sent_to}: {getattr(state.sent, 'reply', '')} "
            f"(queue id {getattr(state.sent, 'queue_id', None) or '-'})"
        )
    else:
        out.append("Test message: not sent")
    for name, result in state.written:
        out.append(f"Wrote {name}: {_describe(result, '')}")
    out += [f"Event: {line}" for line in state.log]
    return "\n".join(out) + "\n"


def _describe(value: object, none: str) -> str:
    if value is None:
        return none
    return getattr(value, "summary", None) or repr(value)
