"""NeoMutt, Mutt, aerc and git send-email, set up by the program, sending through the real
Postfix with the keyring's password; then a second write changes nothing and undo puts the
user's file back byte for byte."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from checks import assert_held, keyring_password, new_queue_id
from leakscan import files_holding
from postfix_program import relay_setup, store_password, write_client
from postfix_relay import Relay, User
from programs.tmux import Tmux

import app

WORKTREE = Path(app.__file__).resolve().parent.parent


def need(*programs: str) -> None:
    for program in programs:
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (tests/setup.sh installs it)")


def rewrite_and_undo(
    env: dict[str, str], client: str, user: User, port: int, tls: str, ca: str, config: Path
) -> None:
    """A second write changes nothing; undo restores the file as the user had it."""
    written = config.read_bytes()
    again = write_client(env, client, user, port, tls, ca)
    assert "already up to date; nothing written" in again
    assert config.read_bytes() == written


def undo(env: dict[str, str], client: str) -> None:
    done = relay_setup(env, "undo", client)
    assert done.returncode == 0, done.stderr


def port_for(relay: Relay, tls: str) -> int:
    return relay.starttls_port if tls == "starttls" else relay.implicit_port


MUTT_FILES = {"neomutt": ".config/neomutt/neomuttrc", "mutt": ".muttrc"}


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
@pytest.mark.parametrize("program", ["neomutt", "mutt"])
def test_mutt_in_batch_mode_sends_with_the_written_block_and_the_keyrings_password(
    relay: Relay, env: dict[str, str], home: Path, program: str, tls: str
) -> None:
    need(program, "secret-tool")
    user = relay.users[0]
    store_password(env, user)
    port = port_for(relay, tls)
    email = f"{user.name}@example.org"
    config = home / MUTT_FILES[program]
    config.parent.mkdir(parents=True, exist_ok=True)
    aliases = home / ".mutt-aliases"
    aliases.write_bytes(b"alias boss Boss <boss@example.net>\n")
    mine = f"# my settings\nset realname='Al'\nsource {aliases}\nset sort=threads".encode()
    config.write_bytes(mine)  # no final newline: kept as it was, only ended

    out = write_client(env, program, user, port, tls, relay.ca_file)
    assert f"wrote {config}" in out
    text = config.read_text()
    assert text.startswith(mine.decode() + "\n\n# >>> relay-setup")
    scheme = "smtp" if tls == "starttls" else "smtps"
    quoted_user = user.name.replace("@", "%40")
    assert f"set smtp_url='{scheme}://{quoted_user}@localhost:{port}/'\n" in text
    assert user.password not in text
    assert aliases.read_bytes() == b"alias boss Boss <boss@example.net>\n"  # sourced: untouched

    rcpt, subject = "colleague@example.net", f"from {program} over {tls}"
    before = relay.held_queue_ids()
    done = subprocess.run(
        [program, "-s", subject, "--", rcpt],
        input="Hello through the relay.\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    queue_id = new_queue_id(relay, before)
    assert_held(relay, queue_id, user, rcpt, subject, sender=email)
    password = keyring_password(env, user)

    rewrite_and_undo(env, program, user, port, tls, relay.ca_file, config)
    undo(env, program)
    assert config.read_bytes() == mine
    assert files_holding(home, [password.encode()]) == []


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_git_send_email_sends_a_patch_with_the_keyrings_password_through_our_helper(
    relay: Relay, env: dict[str, str], home: Path, tmp_path: Path, tls: str
) -> None:
    need("git", "secret-tool")
    if not (Path(git(env, tmp_path, "--exec-path").strip()) / "git-send-email").is_file():
        pytest.skip("git send-email is not installed (Debian: git-email)")
    user = relay.users[0]
    store_password(env, user)
    port = port_for(relay, tls)
    email = f"{user.name}@example.org"
    env = {**env, "PYTHONPATH": str(WORKTREE), "GIT_TERMINAL_PROMPT": "0"}
    env.pop("GIT_ASKPASS", None)
    env.pop("SSH_ASKPASS", None)
    # The user's own settings, with a helper that would write any password it sees to a file.
    gitconfig = home / ".gitconfig"
    mine = b"[user]\n\tname = Al\n\temail = al@example.org\n[credential]\n\thelper = store\n"
    gitconfig.write_bytes(mine)

    out = write_client(env, "git", user, port, tls, relay.ca_file)
    assert f"wrote {gitconfig}" in out
    text = gitconfig.read_text()
    assert text.startswith(mine.decode())
    assert user.password not in text
    assert f"\tsmtpEncryption = {'tls' if tls == 'starttls' else 'ssl'}\n" in text

    repo = tmp_path / "repo"
    repo.mkdir()
    git(env, repo, "init", "-q")
    (repo / "README").write_text("hello\n")
    git(env, repo, "add", "README")
    git(env, repo, "commit", "-q", "-m", f"the patch over {tls}")
    patch = git(env, repo, "format-patch", "-1").strip()

    rcpt = "colleague@example.net"

    def send() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "send-email", "--to", rcpt, "--confirm=never", "--quiet", patch],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    before = relay.held_queue_ids()
    done = send()
    assert done.returncode == 0, done.stdout + done.stderr
    queue_id = new_queue_id(relay, before)
    assert_held(relay, queue_id, user, rcpt, f"[PATCH] the patch over {tls}", sender=email)
    password = keyring_password(env, user)
    assert not (home / ".git-credentials").exists()  # `store` never saw the password
    assert files_holding(home, [password.encode()]) == []

    rewrite_and_undo(env, "git", user, port, tls, relay.ca_file, gitconfig)
    # Our helper was git's only source: without the keyring entry, git cannot log in.
    deleted = relay_setup(env, "password", "delete", "--host", "localhost", "--user", user.name)
    assert deleted.returncode == 0, deleted.stderr
    before = relay.held_queue_ids()
    refused = send()
    assert relay.held_queue_ids() == before
    # (git 2.39's send-email still exits 0 here: the message and the held queue say it all)
    assert "credential fill: command returned error" in refused.stderr, refused.stderr
    undo(env, "git")
    assert gitconfig.read_bytes() == mine


def git(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_aerc_under_tmux_sends_from_the_users_account_with_the_keyrings_password(
    relay: Relay, env: dict[str, str], home: Path, tmp_path: Path, tls: str
) -> None:
    need("aerc", "tmux", "secret-tool")
    user = relay.users[0]
    store_password(env, user)
    port = port_for(relay, tls)
    email = f"{user.name}@example.org"
    for folder in ("cur", "new", "tmp"):
        (home / "Mail" / "INBOX" / folder).mkdir(parents=True, exist_ok=True)
    accounts = home / ".config" / "aerc" / "accounts.conf"
    accounts.parent.mkdir(parents=True)
    mine = (
        f"[Work]\nsource = maildir://{home}/Mail\nfrom = Al <{email}> ; my name\n"
        "default = INBOX\n\n[Other]\nsource = maildir://~/Other\nfrom = o@example.net\n"
    ).encode()
    accounts.write_bytes(mine)
    accounts.chmod(0o600)

    out = write_client(env, "aerc", user, port, tls, relay.ca_file)
    assert f"wrote {accounts}" in out
    text = accounts.read_text()
    assert user.password not in text
    scheme = "smtp" if tls == "starttls" else "smtps"
    assert f"outgoing = {scheme}://{user.name.replace('@', '%40')}@localhost:{port}\n" in text
    assert text.endswith("[Other]\nsource = maildir://~/Other\nfrom = o@example.net\n")
    # aerc takes no CA file: the note says how, and that is how it is started here.
    note = re.search(r"start it as `SSL_CERT_FILE=(\S+) aerc`", out)
    assert note, out
    aerc_env = {**env, "SSL_CERT_FILE": note.group(1), "EDITOR": "true", "TERM": "xterm-256color"}

    rcpt, subject = "colleague@example.net", f"from aerc over {tls}"
    before = relay.held_queue_ids()
    screen = Tmux(tmp_path / "tmux.sock", aerc_env)
    try:
        url = f"mailto:{rcpt}?subject={subject.replace(' ', '%20')}&body=Hello%20from%20aerc."
        screen.start("aerc", url)
        screen.wait_for("Send this email?")
        screen.keys("y")
        screen.wait_for(lambda: bool(relay.held_queue_ids() - before))
    finally:
        screen.close()
    queue_id = new_queue_id(relay, before)
    assert_held(relay, queue_id, user, rcpt, subject, sender=email)
    password = keyring_password(env, user)
    assert files_holding(home, [password.encode()]) == []

    rewrite_and_undo(env, "aerc", user, port, tls, relay.ca_file, accounts)
    undo(env, "aerc")
    assert accounts.read_bytes() == mine
