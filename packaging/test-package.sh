#!/usr/bin/env bash
# Installs the Debian package built in BUILD_DIR (cpack -G DEB) on this
# machine, checks it and starts the installed binary with the installed
# config exactly as the systemd unit would (its user, state directory,
# working directory and notify socket), then purges it.
# Needs root (CI); usage: packaging/test-package.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: packaging/test-package.sh BUILD_DIR}
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
deb=$(ls "$build"/bbbgate_*_amd64.deb | head -n 1)
work=$(mktemp -d)
chmod 0755 "$work" # the service user reaches the notify socket in it
gateway=""
listener=""
cleanup() {
  for p in $gateway $listener; do kill "$p" 2>/dev/null || true; done
  pkill -u bbbgate -f "bbbgate serve" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package: $*" >&2; exit 1; }

echo "package: contents of $deb"
dpkg-deb -c "$deb" > "$work/contents"
for f in ./usr/bin/bbbgate ./etc/bbbgate/bbbgate.yaml \
         ./lib/systemd/system/bbbgate.service \
         ./usr/share/doc/bbbgate/operations.md; do
  grep -q " $f\$" "$work/contents" || fail "$f missing"
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/bbbgate/bbbgate.yaml \
  || fail "/etc/bbbgate/bbbgate.yaml is not a conffile"

echo "package: install"
$SUDO dpkg -i "$deb" >/dev/null
getent passwd bbbgate >/dev/null || fail "no user bbbgate"
[ "$(stat -c %U:%G:%a /etc/bbbgate/bbbgate.yaml)" = root:bbbgate:640 ] \
  || fail "config owner/mode: $(stat -c %U:%G:%a /etc/bbbgate/bbbgate.yaml)"
unit=/lib/systemd/system/bbbgate.service
if command -v systemd-analyze >/dev/null 2>&1; then
  echo "package: systemd-analyze verify"
  systemd-analyze verify "$unit"
  # The hardening the unit must keep.
  for opt in Type=notify User=bbbgate StateDirectory=bbbgate \
             NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
             PrivateTmp=yes CapabilityBoundingSet= \
             SystemCallFilter=@system-service 'ExecReload=/bin/kill -HUP $MAINPID'; do
    grep -qx -- "$opt" "$unit" || fail "unit lacks $opt"
  done
fi

echo "package: start as the unit would"
# StateDirectory=bbbgate: /var/lib/bbbgate owned by the service's user.
$SUDO install -d -o bbbgate -g bbbgate -m 0750 /var/lib/bbbgate
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
exec_pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
as_service() {
  (cd /var/lib/bbbgate && $SUDO setpriv --reuid=bbbgate --regid=bbbgate \
     --init-groups --no-new-privs env NOTIFY_SOCKET="$work/notify" "$@")
}
as_service $exec_pre >/dev/null || fail "ExecStartPre failed"
# The service manager's end of the notify protocol.
python3 - "$work/notify" > "$work/notified" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.settimeout(30)
print("bound", flush=True)
for _ in range(4):
    print(s.recv(512).decode().replace("\n", " "), flush=True)
PY
listener=$!
for _ in $(seq 50); do grep -q bound "$work/notified" && break; sleep 0.1; done
as_service $exec_start > "$work/log" 2>&1 &
gateway=$!
for _ in $(seq 100); do grep -q READY=1 "$work/notified" && break; sleep 0.1; done
grep -q READY=1 "$work/notified" || { cat "$work/log"; fail "no READY=1"; }
pid=$(pgrep -u bbbgate -f "bbbgate serve" | head -n 1)
[ -n "$pid" ] || fail "the gateway does not run as bbbgate"
[ "$(curl -s http://127.0.0.1:8080/healthz)" = ok ] || fail "/healthz"
$SUDO kill -HUP "$pid"
for _ in $(seq 100); do
  [ "$(grep -c READY=1 "$work/notified")" -ge 2 ] && break; sleep 0.1
done
grep -q RELOADING=1 "$work/notified" || fail "no RELOADING=1 on SIGHUP"
[ "$(grep -c READY=1 "$work/notified")" -ge 2 ] || fail "not ready after reload"
[ -f /var/lib/bbbgate/bbbgate.db ] || fail "no database in /var/lib/bbbgate"
[ "$(stat -c %U /var/lib/bbbgate/bbbgate.db)" = bbbgate ] || fail "db owner"
$SUDO kill -TERM "$pid"
wait "$gateway" || fail "exit status $?"
wait "$listener" || true
gateway=""
listener=""
grep -q STOPPING=1 "$work/notified" || fail "no STOPPING=1"

echo "package: purge"
$SUDO dpkg --purge bbbgate >/dev/null
[ ! -e /usr/bin/bbbgate ] || fail "/usr/bin/bbbgate left behind"
[ ! -e /var/lib/bbbgate ] || fail "/var/lib/bbbgate left behind"
echo "package: ok"
