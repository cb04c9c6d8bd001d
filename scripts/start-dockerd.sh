#!/usr/bin/env bash
# Start dockerd in the background if no Docker daemon answers yet, and wait until it does.
#
# The CI/dev machines run without systemd, so nothing starts dockerd for us. This script starts
#   dockerd [--iptables=false]  (the latter only when iptables' nat table is unusable)
# with setsid/nohup, logging to $DOCKERD_LOG (default /var/log/edgemigrate-dockerd.log) and writes
# its PID to $DOCKERD_PIDFILE (default /run/edgemigrate-dockerd.pid).
# Idempotent: exits 0 at once when the daemon already answers.
#
# Env: DOCKERD_LOG, DOCKERD_PIDFILE, DOCKERD_TIMEOUT (seconds, default 60), DOCKERD_EXTRA_ARGS.
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/edgemigrate-dockerd.log}"
DOCKERD_PIDFILE="${DOCKERD_PIDFILE:-/run/edgemigrate-dockerd.pid}"
DOCKERD_TIMEOUT="${DOCKERD_TIMEOUT:-60}"
SOCK=/var/run/docker.sock

log() { printf '[deps] %s\n' "$*" >&2; }
die() { printf '[deps] ERROR: %s\n' "$*" >&2; exit 1; }

# Prefer the client that came with the daemon package; any client >= API 1.44 works.
if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER="$(command -v docker || true)"; fi

daemon_answers() {
    if [[ -n "$DOCKER" ]]; then
        "$DOCKER" version --format '{{.Server.APIVersion}}' >/dev/null 2>&1
    else
        [[ -S "$SOCK" ]] && curl -fsS --max-time 3 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
    fi
}

if daemon_answers; then
    log "dockerd: already running"
    exit 0
fi

command -v dockerd >/dev/null 2>&1 || die "dockerd is not installed (run scripts/install-test-deps.sh --only docker)"

# A pidfile left by a daemon that is gone would make dockerd refuse to start.
for pf in "$DOCKERD_PIDFILE" /var/run/docker.pid; do
    if [[ -f "$pf" ]]; then
        old="$(cat "$pf" 2>/dev/null || true)"
        if [[ -n "$old" ]] && kill -0 "$old" 2>/dev/null; then
            die "a dockerd (PID $old, $pf) is running but does not answer on $SOCK; see $DOCKERD_LOG"
        fi
        rm -f "$pf"
    fi
done

args=()
if ! iptables -t nat -L -n >/dev/null 2>&1; then
    log "dockerd: iptables nat table unusable; starting with --iptables=false"
    args+=(--iptables=false --ip6tables=false)
fi
# shellcheck disable=SC2206
args+=(${DOCKERD_EXTRA_ARGS:-})

mkdir -p "$(dirname "$DOCKERD_LOG")" "$(dirname "$DOCKERD_PIDFILE")"
log "dockerd: starting (log: $DOCKERD_LOG)"
{ printf '\n==== %s: dockerd %s\n' "$(date -Is)" "${args[*]:-}"; } >>"$DOCKERD_LOG"
# setsid: own session, so the daemon survives the caller's shell and job control.
setsid nohup dockerd "${args[@]}" </dev/null >>"$DOCKERD_LOG" 2>&1 &
pid=$!
echo "$pid" > "$DOCKERD_PIDFILE"

deadline=$(( $(date +%s) + DOCKERD_TIMEOUT ))
until daemon_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 30 "$DOCKERD_LOG" >&2
        rm -f "$DOCKERD_PIDFILE"
        die "dockerd (PID $pid) exited during start-up; last lines of $DOCKERD_LOG above"
    fi
    if (( $(date +%s) >= deadline )); then
        tail -n 30 "$DOCKERD_LOG" >&2
        die "dockerd (PID $pid) did not answer on $SOCK within ${DOCKERD_TIMEOUT}s; see $DOCKERD_LOG"
    fi
    sleep 1
done
log "dockerd: started, PID $pid (pidfile $DOCKERD_PIDFILE)"
