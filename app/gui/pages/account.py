"""Account: username and password; the login is checked, and only a password that works goes
into the keyring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QVBoxLayout

from ...core import values
from ...core.deadline import CancelToken
from ...core.settings import Password, RelaySetting
from ...core.setup import steps
from ...core.submit import LoginResult, SubmitError, SubmitErrorKind
from ..state import CheckFailure
from ..tasks import Outcome
from ..words import say_error
from .base import Page, StatusLine, WorkPage

if TYPE_CHECKING:
    from ...core.secrets import SecretStore


@dataclass(frozen=True)
class _Checked:
    login: LoginResult
    stored: bool
    keyring_note: str


def open_store(page: Page) -> SecretStore:
    """The keyring the wizard was given (tests), else the OS one. Raises KeyringUnavailable."""
    if page.config.open_store is not None:
        return page.config.open_store()
    from ...core.secrets import open_store as open_os_store

    return open_os_store()


def explain_error(error: BaseException) -> str:
    """A SubmitError's plain words and the server's own; other errors as they are."""
    return say_error(error)


def was_cancelled(error: BaseException | None) -> bool:
    error = steps.relay_error(error) if error is not None else None
    return isinstance(error, SubmitError) and error.kind is SubmitErrorKind.CANCELLED


class AccountPage(WorkPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Your account"))
        self.setSubTitle(
            self.tr("The relay wants your username and password; the login is checked now.")
        )
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.user.setAccessibleName(self.tr("Username"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("&Remember the password in this computer's keyring"))
        self.remember.setObjectName("remember")
        self.remember.setChecked(True)
        self.status = StatusLine("account_status", headline=True)
        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.user)
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._verified: tuple[str, Password, RelaySetting] | None = None
        for field in (self.user, self.password):
            field.textChanged.connect(self.completeChanged)
            field.textChanged.connect(self._edited)

    def initializePage(self) -> None:
        state = self.state
        self.user.setText(state.user)
        self.user.setEnabled("username" not in state.prefill.locked)
        self.status.clear()
        self.password.clear()
        host, user = state.host, state.user
        if not user:
            return

        def lookup() -> Password | None:
            stored: Password | None = open_store(self).get(host, user)
            return stored

        self.runner.run_task(lookup, self._on_lookup)

    def _edited(self) -> None:
        if self.status.kind == "ok":  # "Login works" was about what was typed before
            self.status.clear()

    def _on_lookup(self, outcome: Outcome) -> None:
        if outcome.ok and outcome.value is not None and not self.password.text():
            self.password.setText(outcome.value.reveal())
            self.status.setText(self.tr("Your keyring has a password for this account."))

    def show_stopping(self) -> None:
        self.status.setText(self.tr("Stopping…"), "pending")

    def isComplete(self) -> bool:
        return self._token is None and bool(self.user.text().strip() and self.password.text())

    def validatePage(self) -> bool:
        """Next: a login that was checked goes on; otherwise check it (off the GUI thread) and
        stay to show the result: the next Next goes on."""
        state = self.state
        try:
            state.user = values.user(self.user.text().strip(), self.tr("Username"))
            setting = state.setting()
        except values.InvalidValue as exc:
            self.status.setText(say_error(exc), "error")
            return False
        typed = Password(self.password.text())
        if self._verified == (state.user, typed, setting):
            return True
        remember = self.remember.isChecked()
        token = self._token = CancelToken()
        self.status.setText(
            self.tr("Checking your login with %1…").replace("%1", state.host), "pending"
        )
        self.completeChanged.emit()
        opts = self.config

        def check() -> _Checked:
            login, _ = steps.login(
                setting,
                typed,
                timeout=opts.timeout,
                cancel=token,
                resolver=opts.address_resolver(),
            )
            if not remember:
                return _Checked(login, False, "")
            try:  # only a password that works is kept
                steps.keep_password(setting, typed, open_store(self))
            except Exception as exc:  # KeyringUnavailable, or the keyring said no
                return _Checked(login, False, explain_error(exc))
            return _Checked(login, True, "")

        self.runner.run_task(check, lambda o: self._on_checked(o, setting, typed, token))
        return False

    def _on_checked(
        self,
        outcome: Outcome,
        setting: RelaySetting,
        password: Password,
        token: CancelToken,
    ) -> None:
        if self._token is not token:
            return  # a check cancelled by Back, reported after a newer one began
        self._token = None
        self.completeChanged.emit()
        state = self.state
        if was_cancelled(outcome.error):
            self.status.setText(self.tr("Stopped: the login was not checked."), "warning")
            state.log.append("login check cancelled")
            return
        if not outcome.ok:
            assert outcome.error is not None
            self.status.setText(
                self.tr("The login did not work: %1").replace("%1", explain_error(outcome.error)),
                "error",
            )
            state.login_failure = CheckFailure.of(outcome.error)
            state.log.append(f"login failed: {state.login_failure.kind}")
            return
        checked: _Checked = outcome.value
        state.login, state.password, state.login_failure = checked.login, password, None
        state.remembered, state.keyring_note = checked.stored, checked.keyring_note
        self._verified = (setting.user, password, setting)
        state.log.append(f"login ok ({checked.login.mechanism})")
        note = (
            self.tr("Login works; the password is in your keyring.")
            if checked.stored
            else self.tr("Login works; the password was not stored (%1).").replace(
                "%1", checked.keyring_note or self.tr("you chose not to")
            )
        )
        # The page stays, so the person reads the result; Next (or Enter) goes on.
        self.status.setText(note, "warning" if checked.keyring_note else "ok")
