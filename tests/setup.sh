#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the Debian packages (only when
# run as root with apt-get), then the project with its test and dev extras in the project's own
# virtual environment .venv (Debian's Python refuses pip installs outside one: PEP 668), and ends
# with a self-check of what the tests use. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # a Python that can make the project's virtual environment, and what Qt's lrelease loads
  # when the build compiles the translations (resources/translations/qmbuild.py)
  python3 python3-venv libglib2.0-0 libbrotli1 libgssapi-krb5-2
  # a real Secret Service for the keyring tests, in a private D-Bus session
  dbus dbus-x11 gnome-keyring libsecret-tools
  # the real mail clients whose settings we write, and their helpers
  msmtp alpine thunderbird libnss3-tools tmux xvfb
  # NeoMutt, Mutt, aerc and git send-email (its address parser, SASL and TLS modules are only
  # Recommends: without Mail::Address it will not start)
  neomutt mutt aerc git-email libmailtools-perl libauthen-sasl-perl libio-socket-ssl-perl
  # the seed's relay for the end-to-end suite; swaks speaks TLS only with Net::SSLeay, which
  # is merely its recommendation (and so not installed with --no-install-recommends)
  postfix sasl2-bin libsasl2-modules swaks libnet-ssleay-perl
  # network namespaces and a packet-dropping rule for the benchmark
  iproute2 nftables
  # Qt's offscreen platform needs these shared libraries and a font
  libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  # ... and, to show a real window under Xvfb, the X11 plugin's xcb libraries
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  openssl ca-certificates
  # PyInstaller (the installer test) reads and strips ELF files with objdump and strip, and
  # bundles the shared libpython, which Debian's python3 does not depend on
  binutils libpython3-dev
)

as_root=false
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  as_root=true
  missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    echo "postfix postfix/mailname string relay-setup.test" | debconf-set-selections
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
      --no-install-recommends "${missing[@]}"
  fi
  # Debian starts services on install; the tests start their own Postfix and saslauthd.
  (service postfix stop || true) >/dev/null 2>&1
else
  echo "setup: not root or no apt-get: Debian packages not installed (their tests will skip)" >&2
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv || {
    echo "setup: python3 cannot make a virtual environment: apt-get install python3-venv" >&2
    exit 1
  }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,dev]'

# What the tests use, checked the way they use it: name anything missing.
problems=()
check() { # what, then the command that succeeds when it is there
  local what=$1
  shift
  "$@" >/dev/null 2>&1 || problems+=("$what")
}
check "the project in .venv (python -c 'import app, PySide6, pytest')" \
  .venv/bin/python -c 'import app, PySide6.QtWidgets, pytest, pytestqt, keyring'
check "Python's shared library, for PyInstaller (libpython3-dev)" .venv/bin/python -c \
  'import ctypes, sysconfig; ctypes.CDLL(sysconfig.get_config_var("INSTSONAME"))'
check "swaks with TLS (libnet-ssleay-perl)" sh -c 'swaks --support 2>&1 | grep -q "=== TLS supported"'
check "msmtp with libsecret" sh -c 'msmtp --version | grep -q "^Keyring support:.*Gnome"'
check "certutil (libnss3-tools)" command -v certutil
check "alpine" command -v alpine
check "thunderbird" command -v thunderbird
check "neomutt and mutt" sh -c 'command -v neomutt && command -v mutt'
check "aerc" command -v aerc
check "git send-email with its Recommends (git-email, libmailtools-perl, libauthen-sasl-perl, \
libio-socket-ssl-perl)" sh -c 'git send-email -h 2>&1 | grep -q smtp-server &&
  perl -MMail::Address -MAuthen::SASL -MIO::Socket::SSL -e1'
check "Xvfb (xvfb)" command -v Xvfb
check "tmux" command -v tmux
check "secret-tool (libsecret-tools)" command -v secret-tool
check "gnome-keyring-daemon" command -v gnome-keyring-daemon
check "dbus-run-session (dbus)" command -v dbus-run-session
check "postfix and postcat" sh -c 'command -v postfix && command -v postcat'
check "saslauthd (sasl2-bin)" command -v saslauthd
check "ip (iproute2) and nft (nftables)" sh -c 'command -v ip && command -v nft'
check "objdump and strip (binutils)" sh -c 'command -v objdump && command -v strip'
if [ ${#problems[@]} -eq 0 ]; then
  echo "setup: self-check: everything the tests use is here"
  exit 0
fi
printf 'setup: self-check: missing: %s\n' "${problems[@]}" >&2
# Without root the Debian packages' tests skip, as said above; as root a gap is a failed setup.
if $as_root; then exit 1; fi
