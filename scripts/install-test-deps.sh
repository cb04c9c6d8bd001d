#!/usr/bin/env bash
# Install the host tooling EdgeMigrate's tests need on a Debian 12 (bookworm) x86-64 machine.
# Idempotent: every step checks first and does nothing when its result is already there, so a
# rerun takes seconds. Run as root. See docs/host-tooling.md.
#
#   scripts/install-test-deps.sh                      # everything (default)
#   scripts/install-test-deps.sh --only docker,redis  # a selection
#
# Components:
#   base       ca-certificates curl jq iproute2 iptables
#   wasm       clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 wabt (C -> wasm32-wasi)
#   redis      redis-server (host binary) + local image edgemigrate/redis:test   (implies docker)
#   mosquitto  mosquitto, mosquitto-clients + local image edgemigrate/mosquitto:test (implies docker)
#   docker     docker.io 26.x from Debian 13 (trixie), dockerd started in the background
#   criu       CRIU 4.2.x from Debian unstable in a private prefix + /usr/local/sbin/criu wrapper, runc
#   qemu       qemu-user-static + arm64 sysroot (Debian 12 arm64 libc6, libgcc-s1, libstdc++6, zlib1g, libicu72)
#   netns      checks that network namespaces, veth and tc tbf work
#   containerd containerd 2.1.x from Debian unstable in a private prefix, the upstream containerd/CRI .proto
#              files (for the proto conformance test), Debian 12's CNI plugins, local image edgemigrate/pause:test
#              and an image archive for test containerd instances                  (implies docker, redis, criu)
#   k8s        kustomize (Debian 13) in a private prefix + npm kubernetes-models/yaml for offline manifest checks
#   chromium   Debian 12 chromium (opt-in only, not part of the default set)
#
# Env: EDGEMIGRATE_CACHE (default /var/cache/edgemigrate), EDGEMIGRATE_OPT (default /opt/edgemigrate),
#      EDGEMIGRATE_DEBIAN_MIRROR (default: the system's own apt sources).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib/apt-suite.sh
source "$SCRIPT_DIR/lib/apt-suite.sh"

EDGEMIGRATE_OPT="${EDGEMIGRATE_OPT:-/opt/edgemigrate}"
CRIU_PREFIX="$EDGEMIGRATE_OPT/criu"
ARM64_SYSROOT="$EDGEMIGRATE_OPT/arm64-sysroot"
CRIU_WRAPPER=/usr/local/sbin/criu
CONTAINERD_PREFIX="$EDGEMIGRATE_OPT/containerd"
CONTAINERD_API="$EDGEMIGRATE_OPT/containerd-api"
KUSTOMIZE_PREFIX="$EDGEMIGRATE_OPT/kustomize"
K8S_MODELS="$EDGEMIGRATE_OPT/k8s-models"
MIN_DOCKER_API=1.44
export DEBIAN_FRONTEND=noninteractive

DEFAULT_COMPONENTS=(base wasm docker redis mosquitto criu qemu netns containerd k8s)
KNOWN_COMPONENTS=("${DEFAULT_COMPONENTS[@]}" chromium)

usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; }

selected=()
while (( $# )); do
    case "$1" in
        --only) [[ $# -ge 2 ]] || deps_die "--only needs a comma-separated list"; IFS=, read -r -a selected <<<"$2"; shift 2 ;;
        --only=*) IFS=, read -r -a selected <<<"${1#--only=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; deps_die "unknown argument: $1" ;;
    esac
done
(( ${#selected[@]} )) || selected=("${DEFAULT_COMPONENTS[@]}")

declare -A WANT=()
for c in "${selected[@]}"; do
    [[ " ${KNOWN_COMPONENTS[*]} " == *" $c "* ]] || deps_die "unknown component '$c' (known: ${KNOWN_COMPONENTS[*]})"
    WANT[$c]=1
done
want() { [[ -n "${WANT[$1]:-}" ]]; }
# containerd's test images come from the redis rootfs and its shims run runc + CRIU; images need the daemon.
if want containerd; then WANT[redis]=1; WANT[criu]=1; fi
if want redis || want mosquitto; then WANT[docker]=1; fi

[[ "$(id -u)" == 0 ]] || deps_die "run as root (it installs packages and starts dockerd)"
[[ "$(dpkg --print-architecture)" == amd64 ]] || deps_die "only amd64 hosts are supported"

T0=$(date +%s)
mkdir -p "$EDGEMIGRATE_CACHE" "$EDGEMIGRATE_OPT"

pkg_installed() { [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == "ii " ]]; }

# ---------------------------------------------------------------------------------------------
# 1. Debian 12 packages (one apt-get update + one apt-get install, only when something is missing)
# ---------------------------------------------------------------------------------------------
apt_pkgs=(ca-certificates curl jq iproute2 iptables)
want wasm      && apt_pkgs+=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 wabt)
want redis     && apt_pkgs+=(redis-server redis-tools)
want mosquitto && apt_pkgs+=(mosquitto mosquitto-clients)
want docker    && apt_pkgs+=(debootstrap containerd runc tini)
want criu      && apt_pkgs+=(runc)
want containerd && apt_pkgs+=(containernetworking-plugins)
# Node.js only when none is there (a machine may have another distribution's node, which also carries npm).
if want k8s && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then apt_pkgs+=(nodejs npm); fi
want qemu      && apt_pkgs+=(qemu-user-static)
want chromium  && apt_pkgs+=(chromium)

declare -A seen=()
uniq_pkgs=()
for p in "${apt_pkgs[@]}"; do [[ -n "${seen[$p]:-}" ]] || { seen[$p]=1; uniq_pkgs+=("$p"); }; done
apt_pkgs=("${uniq_pkgs[@]}")
missing=()
for p in "${apt_pkgs[@]}"; do
    if pkg_installed "$p"; then :; else missing+=("$p"); fi
done

# Docker: needs API >= 1.44 (Docker >= 25). Debian 12's docker.io is 20.10, so take Debian 13's.
docker_deb=""
dockerd_ok() {
    command -v dockerd >/dev/null 2>&1 || return 1
    local v; v="$(dockerd --version 2>/dev/null | sed -n 's/^Docker version \([0-9][0-9]*\)\..*/\1/p')"
    [[ -n "$v" ]] && (( v >= 25 ))
}
if want docker && ! dockerd_ok; then
    apt_suite_download trixie amd64 "$EDGEMIGRATE_CACHE/debs/trixie" docker.io
    docker_ver="$(apt_suite_version trixie amd64 docker.io)"
    for f in "$EDGEMIGRATE_CACHE"/debs/trixie/docker.io_*.deb; do
        [[ "$(dpkg-deb -f "$f" Version)" == "$docker_ver" ]] && docker_deb="$f"
    done
    [[ -n "$docker_deb" ]] || deps_die "downloaded docker.io $docker_ver from trixie not found in $EDGEMIGRATE_CACHE/debs/trixie"
fi

if (( ${#missing[@]} )) || [[ -n "$docker_deb" ]]; then
    deps_log "apt: installing ${missing[*]:-} ${docker_deb:+$(basename "$docker_deb")}"
    retry 3 apt-get -q update >/tmp/edgemigrate-apt-update.log 2>&1 \
        || { tail -n 20 /tmp/edgemigrate-apt-update.log >&2; deps_die "apt-get update failed (log: /tmp/edgemigrate-apt-update.log)"; }
    # A local .deb path makes apt resolve docker.io's dependencies from the Debian 12 lists.
    if ! retry 3 apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            --no-install-recommends install "${missing[@]}" ${docker_deb:+"$docker_deb"} \
            >/tmp/edgemigrate-apt-install.log 2>&1; then
        tail -n 30 /tmp/edgemigrate-apt-install.log >&2
        deps_die "apt-get install ${missing[*]} ${docker_deb} failed (log: /tmp/edgemigrate-apt-install.log)"
    fi
fi
for p in "${apt_pkgs[@]}"; do
    pkg_installed "$p" || deps_die "package $p is still not installed after apt-get install"
done
deps_log "apt packages: ok (${#apt_pkgs[@]} checked, ${#missing[@]} installed now)"

# ---------------------------------------------------------------------------------------------
# 2. Docker daemon
# ---------------------------------------------------------------------------------------------
if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
if want docker; then
    dockerd_ok || deps_die "dockerd >= 25 is not available after installation (dockerd --version: $(dockerd --version 2>&1 || true))"
    "$SCRIPT_DIR/start-dockerd.sh"
    api="$("$DOCKER" version --format '{{.Server.APIVersion}}')"
    if ! dpkg --compare-versions "$api" ge "$MIN_DOCKER_API"; then
        deps_die "Docker daemon API $api < $MIN_DOCKER_API (Testcontainers 4 needs >= $MIN_DOCKER_API)"
    fi
    deps_log "docker: ok (API $api)"
fi

# ---------------------------------------------------------------------------------------------
# 3. Local service images (no registry: debootstrap a Debian 12 rootfs and docker import it)
# ---------------------------------------------------------------------------------------------
# One rootfs holds both services; it is imported twice with different CMD/EXPOSE (the layer is
# the same content, so it is stored once). The tarball is cached; a rerun only re-imports if an
# image is missing.
SERVICES_INCLUDE="mosquitto,redis-server"
SERVICES_TAR="$EDGEMIGRATE_CACHE/rootfs/bookworm-minbase-$(printf '%s' "$SERVICES_INCLUDE" | sha1sum | cut -c1-12).tar"

build_services_rootfs() {
    [[ -s "$SERVICES_TAR" ]] && return 0
    local dir="$EDGEMIGRATE_CACHE/rootfs/build" mirror
    mirror="$(debian_mirror_uri)"
    rm -rf "$dir"; mkdir -p "$dir"
    deps_log "images: debootstrap --variant=minbase --include=$SERVICES_INCLUDE bookworm (takes ~1-2 min)"
    if ! retry 2 debootstrap --variant=minbase --include="$SERVICES_INCLUDE" bookworm "$dir" "$mirror" \
            >"$EDGEMIGRATE_CACHE/rootfs/debootstrap.log" 2>&1; then
        tail -n 30 "$EDGEMIGRATE_CACHE/rootfs/debootstrap.log" >&2
        deps_die "debootstrap of the services rootfs failed (log: $EDGEMIGRATE_CACHE/rootfs/debootstrap.log)"
    fi
    # Service configuration for foreground use in a container.
    mkdir -p "$dir/data"
    cat > "$dir/etc/mosquitto/edgemigrate.conf" <<'CONF'
# EdgeMigrate test image: anonymous MQTT on all interfaces, logs to stdout.
listener 1883 0.0.0.0
allow_anonymous true
persistence false
log_dest stdout
CONF
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/tmp/* 2>/dev/null || true
    tar --numeric-owner -C "$dir" -cf "$SERVICES_TAR.tmp" . || deps_die "tar of the services rootfs failed"
    mv "$SERVICES_TAR.tmp" "$SERVICES_TAR"
    rm -rf "$dir"
}

# import_image NAME:TAG CHANGE...
import_image() {
    local ref="$1"; shift
    if "$DOCKER" image inspect "$ref" >/dev/null 2>&1; then
        deps_log "image $ref: ok"
        return 0
    fi
    build_services_rootfs
    local -a changes=()
    local c; for c in "$@"; do changes+=(-c "$c"); done
    "$DOCKER" import "${changes[@]}" "$SERVICES_TAR" "$ref" >/dev/null || deps_die "docker import $ref failed"
    deps_log "image $ref: imported from $SERVICES_TAR"
    IMPORTED+=("$ref")
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 )); }

# Smoke test freshly imported images: run, talk to them over loopback, remove.
smoke_image() {
    local ref="$1" cport="$2" check="$3"
    local port cid ok=""
    port="$(free_port)"
    cid="$("$DOCKER" run -d --rm -p "127.0.0.1:$port:$cport" "$ref")" || deps_die "docker run $ref failed"
    for _ in $(seq 1 30); do
        if eval "$check" >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.5
    done
    if [[ -z "$ok" ]]; then
        "$DOCKER" logs "$cid" >&2 || true
        "$DOCKER" rm -f "$cid" >/dev/null 2>&1 || true
        deps_die "smoke test of $ref failed (container did not answer on 127.0.0.1:$port)"
    fi
    "$DOCKER" rm -f "$cid" >/dev/null 2>&1 || true
    deps_log "image $ref: smoke test ok (port $port)"
}

IMPORTED=()
if want mosquitto; then
    import_image edgemigrate/mosquitto:test \
        'EXPOSE 1883' \
        'CMD ["/usr/sbin/mosquitto", "-c", "/etc/mosquitto/edgemigrate.conf"]'
fi
if want redis; then
    import_image edgemigrate/redis:test \
        'EXPOSE 6379' \
        'VOLUME /data' \
        'WORKDIR /data' \
        'CMD ["/usr/bin/redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--appendonly", "yes", "--dir", "/data"]'
fi
for ref in "${IMPORTED[@]}"; do
    case "$ref" in
        edgemigrate/mosquitto:*) smoke_image "$ref" 1883 'mosquitto_pub -h 127.0.0.1 -p "$port" -t edgemigrate/smoke -m hi' ;;
        edgemigrate/redis:*)     smoke_image "$ref" 6379 '[[ "$(redis-cli -h 127.0.0.1 -p "$port" ping)" == PONG ]]' ;;
    esac
done

# ---------------------------------------------------------------------------------------------
# 4. CRIU 4.2.x from Debian unstable, in a private prefix behind a wrapper on PATH
# ---------------------------------------------------------------------------------------------
criu_wrapper_ok() {
    [[ -x "$CRIU_WRAPPER" ]] && "$CRIU_WRAPPER" --version 2>/dev/null | grep -q 'Version: 4\.\([2-9]\|[1-9][0-9]\)'
}
if want criu; then
    if criu_wrapper_ok && [[ -f "$CRIU_PREFIX/.edgemigrate-packages" ]]; then
        deps_log "criu: ok ($("$CRIU_WRAPPER" --version | awk '/Version/ {print $2}'))"
    else
        # criu + libcompel1 + their whole library closure (glibc >= 2.38 included) from unstable.
        mapfile -t closure < <(apt_suite_closure sid amd64 criu libcompel1)
        (( ${#closure[@]} )) || deps_die "empty dependency closure for criu in Debian unstable"
        apt_suite_download sid amd64 "$EDGEMIGRATE_CACHE/debs/sid" "${closure[@]}"
        rm -rf "$CRIU_PREFIX.new"
        apt_suite_extract "$EDGEMIGRATE_CACHE/debs/sid" "$CRIU_PREFIX.new" "${closure[@]}"
        printf '%s\n' "${closure[@]}" > "$CRIU_PREFIX.new/.edgemigrate-packages"
        rm -rf "$CRIU_PREFIX"; mv "$CRIU_PREFIX.new" "$CRIU_PREFIX"

        # Find the loader and the library dirs inside the prefix (usr-merged or not).
        loader=""
        for cand in usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
                    usr/lib64/ld-linux-x86-64.so.2 lib64/ld-linux-x86-64.so.2; do
            if [[ -f "$CRIU_PREFIX/$cand" && ! -L "$CRIU_PREFIX/$cand" ]]; then loader="$cand"; break; fi
        done
        [[ -n "$loader" ]] || deps_die "no ld-linux-x86-64.so.2 in $CRIU_PREFIX (libc6 from unstable not unpacked?)"
        libpath=""
        for d in usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu usr/lib lib; do
            [[ -d "$CRIU_PREFIX/$d" ]] && libpath="${libpath:+$libpath:}$CRIU_PREFIX/$d"
        done
        criu_bin=""
        for cand in usr/sbin/criu sbin/criu usr/bin/criu; do
            [[ -x "$CRIU_PREFIX/$cand" ]] && { criu_bin="$cand"; break; }
        done
        [[ -n "$criu_bin" ]] || deps_die "no criu binary in $CRIU_PREFIX"
        mkdir -p "$(dirname "$CRIU_WRAPPER")"
        cat > "$CRIU_WRAPPER.tmp" <<WRAP
#!/bin/sh
# Generated by scripts/install-test-deps.sh (EdgeMigrate): CRIU from Debian unstable, run with its
# own glibc and libraries from $CRIU_PREFIX so the system stays Debian 12.
exec "$CRIU_PREFIX/$loader" --argv0 criu --library-path "$libpath" "$CRIU_PREFIX/$criu_bin" "\$@"
WRAP
        chmod 755 "$CRIU_WRAPPER.tmp"; mv "$CRIU_WRAPPER.tmp" "$CRIU_WRAPPER"
        criu_wrapper_ok || deps_die "criu wrapper $CRIU_WRAPPER does not run: $("$CRIU_WRAPPER" --version 2>&1 | head -5)"
        deps_log "criu: installed $("$CRIU_WRAPPER" --version | awk '/Version/ {print $2}') into $CRIU_PREFIX"
    fi
    # runc looks up "criu" on PATH.
    [[ "$(command -v criu)" == "$CRIU_WRAPPER" ]] \
        || deps_die "'criu' on PATH is $(command -v criu || echo nothing), not $CRIU_WRAPPER: put $(dirname "$CRIU_WRAPPER") first in PATH"
    if ! criu_check="$("$CRIU_WRAPPER" check 2>&1)" || ! grep -q 'Looks good' <<<"$criu_check"; then
        printf '%s\n' "$criu_check" >&2
        deps_die "criu check failed (output above)"
    fi
    deps_log "criu check: $(tail -n 1 <<<"$criu_check")"
fi

# ---------------------------------------------------------------------------------------------
# 5. qemu-user-static + arm64 sysroot (tests set QEMU_LD_PREFIX themselves)
# ---------------------------------------------------------------------------------------------
if want qemu; then
    command -v qemu-aarch64-static >/dev/null || deps_die "qemu-aarch64-static missing after installing qemu-user-static"
    arm64_pkgs=(libc6 libgcc-s1 libstdc++6 zlib1g libicu72)
    if [[ -f "$ARM64_SYSROOT/.edgemigrate-packages" ]]; then
        deps_log "arm64 sysroot: ok ($ARM64_SYSROOT)"
    else
        mapfile -t closure < <(apt_suite_closure bookworm arm64 "${arm64_pkgs[@]}")
        (( ${#closure[@]} )) || deps_die "empty dependency closure for the arm64 sysroot"
        apt_suite_download bookworm arm64 "$EDGEMIGRATE_CACHE/debs/bookworm-arm64" "${closure[@]}"
        rm -rf "$ARM64_SYSROOT.new"
        apt_suite_extract "$EDGEMIGRATE_CACHE/debs/bookworm-arm64" "$ARM64_SYSROOT.new" "${closure[@]}"
        printf '%s\n' "${closure[@]}" > "$ARM64_SYSROOT.new/.edgemigrate-packages"
        rm -rf "$ARM64_SYSROOT"; mv "$ARM64_SYSROOT.new" "$ARM64_SYSROOT"
        deps_log "arm64 sysroot: unpacked ${#closure[@]} packages into $ARM64_SYSROOT"
    fi
    arm64_loader="$ARM64_SYSROOT/lib/ld-linux-aarch64.so.1"
    [[ -e "$arm64_loader" ]] || arm64_loader="$ARM64_SYSROOT/usr/lib/ld-linux-aarch64.so.1"
    if ! out="$(QEMU_LD_PREFIX="$ARM64_SYSROOT" qemu-aarch64-static "$arm64_loader" --version 2>&1)"; then
        printf '%s\n' "$out" >&2
        deps_die "qemu-aarch64-static could not run the arm64 loader $arm64_loader"
    fi
    deps_log "qemu: ok (arm64 $(head -n 1 <<<"$out"))"
fi

# ---------------------------------------------------------------------------------------------
# 6. Network namespaces, veth, tc tbf
# ---------------------------------------------------------------------------------------------
if want netns; then
    ns="emdeps$$"
    cleanup_ns() { ip netns del "$ns" 2>/dev/null || true; ip link del "${ns}a" 2>/dev/null || true; }
    trap cleanup_ns EXIT
    ip netns add "$ns"                                                   || deps_die "ip netns add failed"
    ip -n "$ns" link set lo up                                           || deps_die "ip link set lo up in a netns failed"
    ip link add "${ns}a" type veth peer name "${ns}b" netns "$ns"        || deps_die "creating a veth pair into a netns failed"
    tc -n "$ns" qdisc add dev lo root tbf rate 1mbit burst 32kbit latency 400ms || deps_die "tc qdisc add ... tbf failed (sch_tbf missing?)"
    tc -n "$ns" qdisc show dev lo | grep -q tbf                          || deps_die "tbf qdisc not shown after adding it"
    cleanup_ns; trap - EXIT
    deps_log "netns: ok (ip netns, veth, tc tbf)"
fi

# ---------------------------------------------------------------------------------------------
# 7. WebAssembly toolchain check (C -> wasm32-wasi)
# ---------------------------------------------------------------------------------------------
if want wasm; then
    wdir="$(mktemp -d)"
    printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' > "$wdir/t.c"
    clang-14 --target=wasm32-wasi -O2 -fuse-ld=lld -o "$wdir/t.wasm" "$wdir/t.c" 2>"$wdir/err" \
        || { cat "$wdir/err" >&2; rm -rf "$wdir"; deps_die "clang-14 --target=wasm32-wasi could not build a WASI module"; }
    rm -rf "$wdir"
    deps_log "wasm: ok (clang-14 wasm32-wasi, wat2wasm $(wat2wasm --version))"
fi

# ---------------------------------------------------------------------------------------------
# 8. containerd 2.1.x (Debian unstable) for the containerd engine's tests
# ---------------------------------------------------------------------------------------------
# Only the containerd package: its Depends are runc (Debian 12's 1.1.5 is enough for 2.1) and libc6 >= 2.34
# (Debian 12 has 2.36), so unlike CRIU it runs without a loader wrapper. Nothing goes on PATH: Debian 12's
# containerd 1.6 (docker.io's) stays the system one; whoever starts a 2.1 instance puts
# $CONTAINERD_PREFIX/usr/bin FIRST on its PATH (containerd finds its shim on PATH before beside itself).
containerd_ok() {
    [[ -x "$CONTAINERD_PREFIX/usr/bin/containerd" && -x "$CONTAINERD_PREFIX/usr/bin/containerd-shim-runc-v2" \
       && -x "$CONTAINERD_PREFIX/usr/bin/ctr" ]] \
        && "$CONTAINERD_PREFIX/usr/bin/containerd" --version 2>/dev/null | grep -q ' v\?2\.\([1-9]\|[1-9][0-9]\)\.'
}
CONTAINERD_IMAGES="$EDGEMIGRATE_CACHE/containerd/images.tar"
if want containerd; then
    if containerd_ok && [[ -f "$CONTAINERD_PREFIX/.edgemigrate-packages" ]]; then
        deps_log "containerd: ok ($("$CONTAINERD_PREFIX/usr/bin/containerd" --version | awk '{print $3}'))"
    else
        cd_ver="$(apt_suite_version sid amd64 containerd)"
        [[ -n "$cd_ver" ]] || deps_die "no containerd package in Debian unstable"
        [[ "$cd_ver" == 2.1.* ]] || deps_log "containerd in Debian unstable is $cd_ver (verified with 2.1.9); continuing"
        apt_suite_download sid amd64 "$EDGEMIGRATE_CACHE/debs/sid" "containerd=$cd_ver"
        rm -rf "$CONTAINERD_PREFIX.new"
        apt_suite_extract "$EDGEMIGRATE_CACHE/debs/sid" "$CONTAINERD_PREFIX.new" "containerd=$cd_ver"
        printf 'containerd=%s\n' "$cd_ver" > "$CONTAINERD_PREFIX.new/.edgemigrate-packages"
        rm -rf "$CONTAINERD_PREFIX"; mv "$CONTAINERD_PREFIX.new" "$CONTAINERD_PREFIX"
        containerd_ok || deps_die "containerd from $CONTAINERD_PREFIX does not run: $("$CONTAINERD_PREFIX/usr/bin/containerd" --version 2>&1 | head -3)"
        deps_log "containerd: installed $("$CONTAINERD_PREFIX/usr/bin/containerd" --version | awk '{print $3}') into $CONTAINERD_PREFIX"
    fi

    # The upstream API .proto files, only for the test that checks the agent's own subset against them:
    # containerd's api/**.proto (same source package and version as containerd) and CRI's api.proto without
    # gogoproto options (golang-k8s-cri-api-dev; the older golang-github-kubernetes-cri-api-dev still has them).
    if [[ -f "$CONTAINERD_API/.edgemigrate-packages" ]]; then
        deps_log "containerd/CRI protos: ok ($CONTAINERD_API)"
    else
        api_specs=()
        for p in golang-github-containerd-containerd-api-dev golang-k8s-cri-api-dev; do
            v="$(apt_suite_version sid amd64 "$p")"; [[ -n "$v" ]] || deps_die "no $p in Debian unstable"
            api_specs+=("$p=$v")
        done
        apt_suite_download sid amd64 "$EDGEMIGRATE_CACHE/debs/sid" "${api_specs[@]}"
        api_tmp="$(mktemp -d)"
        apt_suite_extract "$EDGEMIGRATE_CACHE/debs/sid" "$api_tmp" "${api_specs[@]}"
        rm -rf "$CONTAINERD_API.new"; mkdir -p "$CONTAINERD_API.new"
        # Keep the import paths the files use (github.com/containerd/containerd/api/types/...).
        (cd "$api_tmp/usr/share/gocode/src" && find github.com/containerd/containerd/api k8s.io/cri-api -name '*.proto' -print0 \
            | xargs -0 cp --parents -t "$CONTAINERD_API.new") || deps_die "copying the upstream .proto files failed"
        printf '%s\n' "${api_specs[@]}" > "$CONTAINERD_API.new/.edgemigrate-packages"
        rm -rf "$api_tmp" "$CONTAINERD_API"; mv "$CONTAINERD_API.new" "$CONTAINERD_API"
        deps_log "containerd/CRI protos: $(find "$CONTAINERD_API" -name '*.proto' | wc -l) files into $CONTAINERD_API"
    fi

    # Images for test containerd instances (nothing can be pulled): the sandbox ("pause") image is the same
    # rootfs as the redis image with CMD sleep, so both share one layer; one `docker save` archive of both is
    # what each test node imports. Rebuilt when an image id changes.
    import_image edgemigrate/pause:test 'CMD ["/bin/sleep", "infinity"]'
    cd_ids="$("$DOCKER" image inspect -f '{{.Id}}' edgemigrate/pause:test edgemigrate/redis:test | tr '\n' ' ')"
    if [[ -s "$CONTAINERD_IMAGES" && "$(cat "$CONTAINERD_IMAGES.ids" 2>/dev/null)" == "$cd_ids" ]]; then
        deps_log "containerd test images: ok ($CONTAINERD_IMAGES)"
    else
        mkdir -p "$(dirname "$CONTAINERD_IMAGES")"
        "$DOCKER" save -o "$CONTAINERD_IMAGES.tmp" edgemigrate/pause:test edgemigrate/redis:test || deps_die "docker save of the containerd test images failed"
        mv "$CONTAINERD_IMAGES.tmp" "$CONTAINERD_IMAGES"; printf '%s' "$cd_ids" > "$CONTAINERD_IMAGES.ids"
        deps_log "containerd test images: saved edgemigrate/pause:test + edgemigrate/redis:test to $CONTAINERD_IMAGES"
    fi
    [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] \
        || deps_die "CNI plugins (bridge, host-local, loopback) missing in /usr/lib/cni after installing containernetworking-plugins"
fi

# ---------------------------------------------------------------------------------------------
# 9. Kubernetes manifests: kustomize + the Kubernetes schemas (npm kubernetes-models) for offline checks
# ---------------------------------------------------------------------------------------------
# kustomize is a static Go binary in Debian 13 (libc6 >= 2.34). kubernetes-models ships every Kubernetes API
# type's JSON schema compiled into validators; yaml parses the manifests. Pinned, in a private prefix.
K8S_MODELS_PACKAGES='{ "private": true, "dependencies": { "kubernetes-models": "5.1.0", "yaml": "2.9.1" } }'
if want k8s; then
    if [[ -x "$KUSTOMIZE_PREFIX/usr/bin/kustomize" && -f "$KUSTOMIZE_PREFIX/.edgemigrate-packages" ]]; then
        deps_log "kustomize: ok ($(cat "$KUSTOMIZE_PREFIX/.edgemigrate-packages"))"
    else
        k_ver="$(apt_suite_version trixie amd64 kustomize)"; [[ -n "$k_ver" ]] || deps_die "no kustomize package in Debian 13"
        apt_suite_download trixie amd64 "$EDGEMIGRATE_CACHE/debs/trixie" "kustomize=$k_ver"
        rm -rf "$KUSTOMIZE_PREFIX.new"
        apt_suite_extract "$EDGEMIGRATE_CACHE/debs/trixie" "$KUSTOMIZE_PREFIX.new" "kustomize=$k_ver"
        printf 'kustomize=%s\n' "$k_ver" > "$KUSTOMIZE_PREFIX.new/.edgemigrate-packages"
        rm -rf "$KUSTOMIZE_PREFIX"; mv "$KUSTOMIZE_PREFIX.new" "$KUSTOMIZE_PREFIX"
        "$KUSTOMIZE_PREFIX/usr/bin/kustomize" version >/dev/null 2>&1 || deps_die "kustomize from $KUSTOMIZE_PREFIX does not run"
        deps_log "kustomize: installed $k_ver into $KUSTOMIZE_PREFIX"
    fi
    command -v node >/dev/null || deps_die "node is missing after installing nodejs"
    if [[ "$(cat "$K8S_MODELS/package.json" 2>/dev/null)" == "$K8S_MODELS_PACKAGES" && -f "$K8S_MODELS/node_modules/kubernetes-models/package.json" ]]; then
        deps_log "kubernetes-models: ok ($K8S_MODELS)"
    else
        mkdir -p "$K8S_MODELS"; printf '%s' "$K8S_MODELS_PACKAGES" > "$K8S_MODELS/package.json"
        if ! retry 3 npm install --prefix "$K8S_MODELS" --no-audit --no-fund --loglevel=error >/tmp/edgemigrate-npm.log 2>&1; then
            tail -n 20 /tmp/edgemigrate-npm.log >&2
            deps_die "npm install of kubernetes-models and yaml failed (log: /tmp/edgemigrate-npm.log)"
        fi
        deps_log "kubernetes-models: installed into $K8S_MODELS"
    fi
    node --input-type=module -e "await import('$K8S_MODELS/node_modules/kubernetes-models/apps/v1/DaemonSet.js')" 2>/tmp/edgemigrate-node.log \
        || { cat /tmp/edgemigrate-node.log >&2; deps_die "node $(node --version) cannot load kubernetes-models from $K8S_MODELS"; }
fi

# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
echo "[deps] ---- summary ($(( $(date +%s) - T0 ))s) ----"
want base      && echo "[deps] iproute2: $(pkgver iproute2); iptables: $(pkgver iptables); jq: $(pkgver jq); curl: $(pkgver curl)"
want wasm      && echo "[deps] clang-14: $(pkgver clang-14); lld-14: $(pkgver lld-14); wasi-libc: $(pkgver wasi-libc); wabt: $(pkgver wabt)"
want redis     && echo "[deps] redis-server: $(pkgver redis-server); image edgemigrate/redis:test $("$DOCKER" image inspect -f '{{.Id}}' edgemigrate/redis:test | cut -c1-19)"
want mosquitto && echo "[deps] mosquitto: $(pkgver mosquitto); image edgemigrate/mosquitto:test $("$DOCKER" image inspect -f '{{.Id}}' edgemigrate/mosquitto:test | cut -c1-19)"
if want docker; then
    echo "[deps] docker: docker.io $(pkgver docker.io), server $("$DOCKER" version --format '{{.Server.Version}} API {{.Server.APIVersion}}'), dockerd PID $(cat /run/edgemigrate-dockerd.pid 2>/dev/null || pgrep -xo dockerd || echo '?')"
    echo "[deps] containerd: $(pkgver containerd); runc: $(pkgver runc); debootstrap: $(pkgver debootstrap)"
fi
want criu      && echo "[deps] criu: $("$CRIU_WRAPPER" --version | awk '/Version/ {print $2}') (wrapper $CRIU_WRAPPER, prefix $CRIU_PREFIX); runc: $(pkgver runc)"
want qemu      && echo "[deps] qemu-user-static: $(pkgver qemu-user-static); arm64 sysroot: $ARM64_SYSROOT (libc6 $(awk -F= '$1=="libc6" {print $2}' "$ARM64_SYSROOT/.edgemigrate-packages"))"
want netns     && echo "[deps] netns: ok (kernel $(uname -r))"
want containerd && echo "[deps] containerd: $("$CONTAINERD_PREFIX/usr/bin/containerd" --version | awk '{print $3}') ($CONTAINERD_PREFIX); protos $CONTAINERD_API; CNI plugins $(pkgver containernetworking-plugins); images $CONTAINERD_IMAGES"
want k8s       && echo "[deps] kustomize: $(cut -d= -f2 "$KUSTOMIZE_PREFIX/.edgemigrate-packages") ($KUSTOMIZE_PREFIX); node $(node --version); kubernetes-models $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$K8S_MODELS/node_modules/kubernetes-models/package.json" | head -1) ($K8S_MODELS)"
want chromium  && echo "[deps] chromium: $(pkgver chromium)"
# Debian's own redis-server/mosquitto services are not needed (tests start their own instances on
# free ports); where a package's postinst started one, it just holds the default port.
for port in 6379 1883; do
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
        echo "[deps] note: something listens on port $port (Debian's service started by the package?); tests use their own ports"
    fi
done
exit 0
