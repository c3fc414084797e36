"""Which ports someone else answers: told apart by comparing each port with the ports that prove
to be the relay (a certificate that verifies for its name, or is pinned).

A hotel's SMTP proxy on port 25 greets with its own name and shows its own certificate; the
relay's 465 shows the relay's. A port whose certificate cannot be trusted is judged intercepted
when it also differs from the relay's in what an impostor cannot copy convincingly: made out for
another name, another issuer, or a greeting under another host name. A relay's own expired
certificate (same issuer, same name) stays a certificate problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..results import CertError, PortResult, PortStatus


def greeting_name(result: PortResult) -> str:
    """The host name a server greets with ("220 mail.example.org ESMTP"), lower case."""
    words = result.greeting.split("\n", 1)[0].replace("-", " ", 1).split()
    return words[1].lower() if len(words) > 1 and words[0].isdigit() else ""


def judge_interception(results: Sequence[PortResult]) -> tuple[PortResult, ...]:
    """`results` with every port that the relay's proven ports show to be someone else's
    marked INTERCEPTED (the facts kept, the detail saying why)."""
    relay = sorted((r for r in results if r.secure), key=lambda r: r.port)
    return tuple(_judge(r, relay) for r in results)


def _judge(result: PortResult, relay: Sequence[PortResult]) -> PortResult:
    if result.secure or not relay or result.status is PortStatus.INTERCEPTED:
        return result
    evidence = _evidence(result, relay)
    if not evidence:
        return result
    return replace(result, status=PortStatus.INTERCEPTED, detail=evidence)


def _evidence(result: PortResult, relay: Sequence[PortResult]) -> str:
    proof = relay[0]
    names = {greeting_name(r) for r in relay} - {""}
    cert = result.certificate
    if cert is not None and not cert.trusted:
        relays_own = {r.certificate.sha256 for r in relay if r.certificate}
        issuers = {r.certificate.issuer for r in relay if r.certificate}
        if cert.sha256 not in relays_own:
            if cert.error is CertError.HOSTNAME_MISMATCH:
                made_for = ", ".join(n.partition(":")[2] for n in cert.san) or cert.subject
                return (
                    f"a certificate made out for {made_for}, not for the relay "
                    f"(port {proof.port} shows the relay's own)"
                )
            if cert.issuer not in issuers:
                return (
                    f"a certificate from {cert.issuer}; the relay's on port {proof.port} is from "
                    f"{proof.certificate.issuer if proof.certificate else '?'}"
                )
    name = greeting_name(result)
    if name and names and name not in names:
        return f"greets as {name}; the relay greets as {sorted(names)[0]} on port {proof.port}"
    return ""
