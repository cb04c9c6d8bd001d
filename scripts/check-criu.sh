#!/usr/bin/env bash
# Prove that CRIU (the /usr/local/sbin/criu wrapper installed by install-test-deps.sh) really
# checkpoints and restores on this kernel:
#   1. criu check
#   2. criu dump / restore of a plain process (a shell loop in its own session)
#   3. runc checkpoint / runc restore of a container (runc from Debian 12 calls criu from PATH),
#      using the cached Debian 12 rootfs that install-test-deps.sh builds for the service images.
# Each step checks that a counter stops while checkpointed and continues after restore.
# Cleans up after itself (container, processes, temp dirs) unless KEEP=1 (for debugging). Run as root.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib/apt-suite.sh
source "$SCRIPT_DIR/lib/apt-suite.sh"

[[ "$(id -u)" == 0 ]] || deps_die "run as root"
command -v criu >/dev/null || deps_die "criu not on PATH (run scripts/install-test-deps.sh --only criu)"
command -v runc >/dev/null || deps_die "runc not installed"

work="$(mktemp -d /tmp/edgemigrate-criu-check.XXXXXX)"
cid="emcriu$$"
loop_pid=""
cleanup() {
    runc delete -f "$cid" >/dev/null 2>&1 || true
    [[ -n "$loop_pid" ]] && kill -9 "$loop_pid" 2>/dev/null || true
    rm -rf "$work"
}
[[ -n "${KEEP:-}" ]] || trap cleanup EXIT

# wait_counter FILE OLD : wait until FILE holds a number greater than OLD; prints it.
wait_counter() {
    local f="$1" old="$2" v
    for _ in $(seq 1 50); do
        v="$(cat "$f" 2>/dev/null || true)"
        if [[ "$v" =~ ^[0-9]+$ ]] && (( v > old )); then echo "$v"; return 0; fi
        sleep 0.1
    done
    return 1
}

# 1. criu check
out="$(criu check 2>&1)" || { printf '%s\n' "$out" >&2; deps_die "criu check failed"; }
grep -q 'Looks good' <<<"$out" || { printf '%s\n' "$out" >&2; deps_die "criu check did not say 'Looks good'"; }
deps_log "criu check: Looks good ($(criu --version | awk '/Version/ {print $2}'))"

# 2. plain process
counter="$work/plain.count"
# One process without children (perl-base is essential in Debian): a child of ours, so we can reap
# it after the dump (PID 1 in some sandboxes does not reap orphans, which would keep the PID busy).
setsid perl -e '$f = shift; for ($i = 1; ; $i++) { open(my $h, ">", $f) or die; print $h "$i\n"; close $h; select(undef, undef, undef, 0.1) }' "$counter" \
    </dev/null >/dev/null 2>&1 &
loop_pid=$!
c0="$(wait_counter "$counter" 3)" || deps_die "test loop did not start"
mkdir -p "$work/plain.img"
# criu dump kills the process; reap it (it is our child) so its PID is free for the restore. bash
# reports the SIGKILL as a "Killed" job notice on its stderr: silence stderr around the dump.
exec 3>&2 2>/dev/null
criu dump -t "$loop_pid" -D "$work/plain.img" -o dump.log -v2 \
    || { exec 2>&3; tail -n 20 "$work/plain.img/dump.log" >&2; deps_die "criu dump of a plain process failed"; }
wait "$loop_pid" || true
exec 2>&3 3>&-
kill -0 "$loop_pid" 2>/dev/null && deps_die "process still alive after criu dump"
c1="$(cat "$counter")"; sleep 0.5
[[ "$(cat "$counter")" == "$c1" ]] || deps_die "counter moved while the process was checkpointed"
criu restore -D "$work/plain.img" -d -o restore.log -v2 \
    || { tail -n 20 "$work/plain.img/restore.log" >&2; deps_die "criu restore of a plain process failed"; }
c2="$(wait_counter "$counter" "$c1")" || deps_die "counter did not continue after criu restore"
kill -0 "$loop_pid" 2>/dev/null || deps_die "restored process has a different PID"
kill -9 "$loop_pid"; loop_pid=""   # restored as a child of criu's parent, i.e. not ours
deps_log "criu dump/restore of a process: ok (counter $c0 -> $c1, frozen, -> $c2 after restore)"

# 3. runc container
rootfs_tar="$(ls -1t "$EDGEMIGRATE_CACHE"/rootfs/bookworm-minbase-*.tar 2>/dev/null | head -n 1 || true)"
[[ -n "$rootfs_tar" ]] || deps_die "no cached rootfs in $EDGEMIGRATE_CACHE/rootfs (run scripts/install-test-deps.sh --only redis first)"
bundle="$work/bundle"
mkdir -p "$bundle/rootfs"
tar -C "$bundle/rootfs" -xf "$rootfs_tar"
( cd "$bundle" && runc spec )
jq '.process.terminal = false
    | .process.args = ["/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.1; done"]
    | .root.readonly = false' "$bundle/config.json" > "$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"
counter="$bundle/rootfs/tmp/count"
# The container's stdio must be /dev/null: CRIU cannot dump fds of host files outside its mounts.
( cd "$bundle" && runc --log "$work/runc-run.log" run -d "$cid" </dev/null >/dev/null 2>&1 ) \
    || { cat "$work/runc-run.log" >&2; deps_die "runc run failed (log above)"; }
c0="$(wait_counter "$counter" 3)" || deps_die "container loop did not start"
runc checkpoint --image-path "$work/ct.img" --work-path "$work/ct.work" "$cid" \
    || { tail -n 20 "$work/ct.work/dump.log" >&2 2>/dev/null; deps_die "runc checkpoint failed (criu log above)"; }
c1="$(cat "$counter")"; sleep 0.5
[[ "$(cat "$counter")" == "$c1" ]] || deps_die "counter moved while the container was checkpointed"
( cd "$bundle" && runc --log "$work/runc-restore.log" restore -d --image-path "$work/ct.img" --work-path "$work/ct.rwork" "$cid" </dev/null >/dev/null 2>&1 ) \
    || { cat "$work/runc-restore.log" >&2; tail -n 20 "$work/ct.rwork/restore.log" >&2 2>/dev/null; deps_die "runc restore failed"; }
c2="$(wait_counter "$counter" "$c1")" || deps_die "container counter did not continue after runc restore"
state="$(runc state "$cid" | jq -r .status)"
[[ "$state" == running ]] || deps_die "restored container is '$state', not running"
deps_log "runc checkpoint/restore of a container: ok (counter $c0 -> $c1, frozen, -> $c2 after restore; runc $(runc --version | awk 'NR==1 {print $3}'))"
