#!/usr/bin/env bash
# Proves README's "On a fresh machine" on a new machine: builds a minimal Debian 12 root with
# mmdebstrap in a temporary folder (Python 3.11 with pip and CA certificates, as a user's Debian
# has), configured with this machine's apt sources, pip configuration and local CA certificates;
# copies a clean clone of the project (its HEAD commit) into it and runs each command line of
# that README section there, exactly as written, as root in the project folder, with /proc,
# /sys, /dev and /run mounted. Prints each step's result and time, and pytest's summary.
#
# Every mount (ours and mmdebstrap's) is made in a private mount namespace of its own step, so
# none is seen outside it nor can outlast it; processes left in the root are killed by pid and
# the folder removed, also when interrupted. Needs root. Exit status: 0 when every step passed.
# FRESH_KEEP_LOGS=DIR keeps each step's whole output there.
set -uo pipefail

SUITE=bookworm
# What a user's Debian 12 has: its own Python 3.11 and pip, and the CA certificates.
INCLUDE=python3,python3-pip,ca-certificates
STEP_LIMIT=${FRESH_STEP_LIMIT:-1800} # seconds for one step

[ "$(id -u)" = 0 ] || {
  echo "fresh-machine: needs root (it builds and enters a chroot)" >&2
  exit 2
}
project=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/relay-setup-fresh.XXXXXX)
root=$work/root
logs=$work/logs
mkdir -p "$root" "$logs"
step_pid=""
results=()
failed=0

processes_in_root() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && echo "${p#/proc/}"
  done
  return 0
}

cleanup() {
  local status=$? sig pids
  trap '' INT TERM
  [ -n "$step_pid" ] && kill -TERM "$step_pid" 2>/dev/null
  # Daemons a step left in the root (dbus, gnome-keyring, postfix ...): they also hold its
  # mount namespace, and so its mounts, alive.
  for sig in TERM KILL; do
    pids=$(processes_in_root)
    [ -z "$pids" ] && break
    echo "fresh-machine: ending what was left in the root ($sig):" $pids >&2
    # shellcheck disable=SC2086
    kill -s "$sig" $pids 2>/dev/null
    sleep 2
  done
  [ -n "$step_pid" ] && wait "$step_pid" 2>/dev/null
  if [ -n "$(processes_in_root)" ] || findmnt -rn -o TARGET | grep -qF "$work"; then
    echo "fresh-machine: processes or mounts are left in $work: not removed" >&2
    findmnt -rn -o TARGET | grep -F "$work" >&2
    exit 1
  fi
  if [ -n "${FRESH_KEEP_LOGS:-}" ]; then
    mkdir -p "$FRESH_KEEP_LOGS" && cp "$logs"/*.log "$FRESH_KEEP_LOGS"/ 2>/dev/null
  fi
  local start=$SECONDS
  rm -rf --one-file-system "$work"
  echo "fresh-machine: removed the root ($((SECONDS - start)) s)"
  exit "$status"
}
trap cleanup EXIT
trap 'echo "fresh-machine: interrupted" >&2; exit 130' INT
trap 'echo "fresh-machine: terminated" >&2; exit 143' TERM

# Runs "$@" in the background (so a signal reaches our trap at once), its output into a log;
# records the step as passed or failed with its time.
step() {
  local name=$1 log
  shift
  log=$logs/$((${#results[@]} + 1)).log
  local start=$SECONDS
  timeout --kill-after=30 "$STEP_LIMIT" "$@" >"$log" 2>&1 </dev/null &
  step_pid=$!
  wait "$step_pid"
  local status=$?
  step_pid=""
  local took=$((SECONDS - start))
  if [ "$status" = 0 ]; then
    results+=("PASS  ${took}s  $name")
    echo "fresh-machine: PASS (${took} s): $name"
  else
    results+=("FAIL  ${took}s  $name (exit $status)")
    failed=1
    echo "fresh-machine: FAIL (${took} s, exit $status): $name"
  fi
  {
    grep '^setup: ' "$log" # tests/setup.sh's own words: its self-check
    if grep -q "short test summary info" "$log"; then
      # pytest's report of what failed (at most 300 lines), and its summary of what failed or
      # was skipped, and why
      sed -n '/^=\+ \(FAILURES\|ERRORS\) =\+$/,/short test summary info/{/short test summary/!p}' \
        "$log" | head -n 300
      sed -n '/short test summary info/,$p' "$log"
    elif grep -qE '^=+ .* in [0-9.]+s.* =+$' "$log"; then
      grep -E '^=+ .* in [0-9.]+s.* =+$' "$log" | tail -n 1 # pytest's count
    elif [ "$status" != 0 ]; then
      tail -n 60 "$log"
    fi
  } | sed 's/^/    /'
  return "$status"
}

# The mounts a program in the root needs, made in a private mount namespace that ends with it.
MOUNT_AND_ENTER='
set -e
root=$1 folder=$2 line=$3 nbinds=$4
shift 4
# The root a mount point of its own, as a real / is (unshare --mount in it changes the
# propagation of / : the Postfix suite does, for saslauthd)
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t devpts -o newinstance,gid=5,mode=620,ptmxmode=0666 devpts "$root/dev/pts"
mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
mount -t tmpfs -o mode=755,nosuid,nodev run "$root/run"
for ((i = 0; i < nbinds; i++)); do
  mkdir -p "$root$1"
  mount --bind "$1" "$root$1"
  mount -o remount,bind,ro "$root$1"
  shift
done
cd /
exec chroot "$root" /usr/bin/env -i "$@" /bin/bash -c "cd \"\$0\" && $line" "$folder"
'

# A login's environment, plus the pip settings of this machine's environment and CI.
environment=(HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 TERM=xterm
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
while IFS='=' read -r name _; do
  [[ $name == PIP_* ]] && environment+=("$name=${!name}")
done < <(env)
[ -n "${CI:-}" ] && environment+=("CI=$CI")

# pip's configuration files (site, XDG, user's, named) go into the root as they are, and the
# local folders they (or PIP_* variables) name are bound into it read-only.
pip_configs=()
for f in /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf" \
  "${PIP_CONFIG_FILE:-}"; do
  [ -n "$f" ] && [ -f "$f" ] && pip_configs+=("$f")
done
binds=()
pip_files=()
while read -r path; do
  path=${path#file://}
  if [ -f "$path" ]; then
    pip_files+=("$path") # e.g. a constraints file
    continue
  fi
  [ -d "$path" ] || continue
  [ "$(basename "$path")" = simple ] && path=$(dirname "$path") # an index: its files are beside
  [[ " ${binds[*]} " == *" $path "* ]] || binds+=("$path")
done < <({
  cat "${pip_configs[@]}" 2>/dev/null
  env | grep '^PIP_'
} | grep -oE '(file://)?/[^[:space:]"'\'',;]+')

# Runs one command line in the root, in `folder`.
in_root() {
  local name=$1 folder=$2 line=$3
  step "$name" unshare --mount --propagation private --fork -- \
    bash -c "$MOUNT_AND_ENTER" enter "$root" "$folder" "$line" "${#binds[@]}" "${binds[@]}" \
    "${environment[@]}"
}

summary() {
  echo
  echo "fresh-machine: summary (Debian $SUITE root, commit $commit):"
  printf '  %s\n' "${results[@]}"
  echo "fresh-machine: $((SECONDS - begin)) s in all"
}

begin=$SECONDS
commit=$(git -C "$project" rev-parse HEAD)
if [ -n "$(git -C "$project" status --porcelain --untracked-files=no)" ]; then
  echo "fresh-machine: note: testing the commit $commit, not the uncommitted changes" >&2
fi

# This machine's tools for the job.
if ! command -v mmdebstrap >/dev/null; then
  step "install mmdebstrap on this machine" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends mmdebstrap ||
    { summary; exit 1; }
fi

# The root, with this machine's apt sources and apt's network settings (Acquire::).
sources=()
[ -s /etc/apt/sources.list ] && sources+=(/etc/apt/sources.list)
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && sources+=("$f")
done
aptopts=()
for f in /etc/apt/apt.conf.d/*; do
  grep -q '^[[:space:]]*Acquire::' "$f" 2>/dev/null && aptopts+=("--aptopt=$f")
done
step "debootstrap: a minimal Debian $SUITE with $INCLUDE (mmdebstrap)" \
  unshare --mount --propagation private --fork -- \
  mmdebstrap --mode=root --variant=minbase --include="$INCLUDE" --skip=cleanup/apt/lists \
  "${aptopts[@]}" "$SUITE" "$root" "${sources[@]}" || { summary; exit 1; }

# What a Debian installer leaves and a chroot lacks: names for loopback and this host. No
# service starts inside the root (its network is this machine's): the tests start their own.
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
  "$(hostname)" >"$root/etc/hosts"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# pip's configuration, each file where pip looks for it (the root's user is root), and the
# files it names that the root lacks (a constraints file)
for f in "${pip_configs[@]}"; do
  case "$f" in
  "$HOME"/*) target=/root/${f#"$HOME"/} ;;
  *) target=$f ;;
  esac
  install -D -m 644 "$f" "$root$target"
done
for f in "${pip_files[@]}"; do
  [ -e "$root$f" ] || install -D -m 644 "$f" "$root$f"
done
# local CA certificates, trusted there as here
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
  cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
in_root "trust this machine's local CA certificates (update-ca-certificates)" / \
  update-ca-certificates || { summary; exit 1; }

# A clean clone of the project, at the commit being tested.
if ! git clone -q --no-hardlinks "$project" "$root/root/relay-setup" ||
  ! git -C "$root/root/relay-setup" checkout -q --detach "$commit"; then
  echo "fresh-machine: cannot clone $project at $commit" >&2
  summary
  exit 1
fi

# The README's commands, each line as written.
mapfile -t commands < <(sed -n '/^## On a fresh machine/,/^## /{s/^    //p}' \
  "$root/root/relay-setup/README.md")
if [ ${#commands[@]} -eq 0 ]; then
  echo "fresh-machine: no commands found under README's '## On a fresh machine'" >&2
  summary
  exit 1
fi
for line in "${commands[@]}"; do
  in_root "$line" /root/relay-setup "$line"
done

summary
exit "$failed"
