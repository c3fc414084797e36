"""The wizard's CA field goes through the same CA check as every command: a FIFO does not
freeze the window, and an empty file or one holding a private key never gets further."""

from __future__ import annotations

from pathlib import Path

import pytest
from localinput import CA_WHY, bad_ca_file
from servers import Pki, free_port
from wizard_helpers import MakeWizard

from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

pytestmark = pytest.mark.gui


@pytest.mark.timeout(20)  # a FIFO opened without O_NONBLOCK would block the GUI thread
@pytest.mark.parametrize("kind", ["fifo", "folder", "empty", "certificate and key", "DER"])
def test_the_wizard_refuses_the_ca_files_the_commands_refuse(
    make_wizard: MakeWizard, tmp_path: Path, pki: Pki, kind: str
) -> None:
    wizard = make_wizard(Prefill())
    page = wizard.start_page
    page.host.setText("localhost")
    page.ports.setText(str(free_port()))  # nothing listens: the probe page ends at once
    page.ca_file.setText(str(bad_ca_file(kind, tmp_path, pki)))
    wizard.next()
    assert wizard.currentId() == RelayWizard.START
    assert CA_WHY[kind] in page.problem.text()
    page.ca_file.setText(pki.ca_file)  # a good one goes on
    wizard.next()
    assert wizard.currentId() != RelayWizard.START
