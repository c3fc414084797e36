#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the Debian packages (only when
# run as root with apt-get) and the project with its test and dev extras. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # a real Secret Service for the keyring tests, in a private D-Bus session
  dbus dbus-x11 gnome-keyring libsecret-tools
  # the real mail clients whose settings we write, and their helpers
  msmtp alpine thunderbird libnss3-tools tmux xvfb
  # NeoMutt, Mutt, aerc and git send-email (its SASL and TLS modules are only Recommends)
  neomutt mutt aerc git-email libauthen-sasl-perl libio-socket-ssl-perl
  # the seed's relay for the end-to-end suite
  postfix sasl2-bin libsasl2-modules swaks
  # network namespaces and a packet-dropping rule for the benchmark
  iproute2 nftables
  # Qt's offscreen platform needs these shared libraries and a font
  libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  # ... and, to show a real window under Xvfb, the X11 plugin's xcb libraries
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  openssl ca-certificates
  # PyInstaller (the installer test) reads and strips ELF files with objdump and strip
  binutils
)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    echo "postfix postfix/mailname string relay-setup.test" | debconf-set-selections
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  # Debian starts services on install; the tests start their own Postfix and saslauthd.
  (service postfix stop || true) >/dev/null 2>&1
else
  echo "setup: not root or no apt-get: Debian packages not installed (their tests will skip)" >&2
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test,dev]'
