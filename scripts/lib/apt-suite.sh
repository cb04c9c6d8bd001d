# shellcheck shell=bash
# Shared helpers for EdgeMigrate host-tooling scripts.
#
#  * deps_log / deps_die          progress and error lines ("[deps] ...")
#  * retry N CMD...               run CMD up to N times with a growing pause
#  * debian_mirror_uri            the Debian mirror URI taken from the system's own apt sources
#  * apt_suite_download SUITE ARCH DESTDIR PKG...
#        download .deb files of PKG... from another Debian suite/architecture with a PRIVATE
#        apt state dir (own sources list, lists, cache, empty dpkg status), so the system's apt
#        lists stay Debian 12. Nothing is installed; the .debs land in DESTDIR.
#  * apt_suite_depends SUITE ARCH PKG   print PKG's Depends/Pre-Depends field from that suite
#
# Source it; it expects `set -euo pipefail` in the caller.

EDGEMIGRATE_CACHE="${EDGEMIGRATE_CACHE:-/var/cache/edgemigrate}"
# Private apt lists older than this are refreshed (seconds).
APT_SUITE_MAX_AGE="${APT_SUITE_MAX_AGE:-86400}"

deps_log() { printf '[deps] %s\n' "$*" >&2; }
deps_die() { printf '[deps] ERROR: %s\n' "$*" >&2; exit 1; }

# retry ATTEMPTS CMD... : exponential-ish back-off (5s, 10s, 20s ...).
retry() {
    local attempts="$1"; shift
    local n=1 pause=5
    while true; do
        if "$@"; then return 0; fi
        if (( n >= attempts )); then
            printf '[deps] command failed after %d attempts: %s\n' "$attempts" "$*" >&2
            return 1
        fi
        printf '[deps] attempt %d/%d failed (%s); retrying in %ss\n' "$n" "$attempts" "$1" "$pause" >&2
        sleep "$pause"; n=$((n + 1)); pause=$((pause * 2))
    done
}

# The main Debian archive URI the system already uses (never hard-coded in the repo).
# Looks at deb822 *.sources first, then one-line *.list / sources.list entries. The first entry
# whose suites include the system's codename (not -security) wins. EDGEMIGRATE_DEBIAN_MIRROR
# overrides.
debian_mirror_uri() {
    if [[ -n "${EDGEMIGRATE_DEBIAN_MIRROR:-}" ]]; then printf '%s\n' "$EDGEMIGRATE_DEBIAN_MIRROR"; return; fi
    local codename uri=""
    codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-bookworm}")"
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        uri="$(awk -v cn="$codename" '
            BEGIN { RS=""; FS="\n" }
            {
                u=""; s=""; en=1
                for (i = 1; i <= NF; i++) {
                    line = $i
                    if (line ~ /^[ \t]*#/) continue
                    if (line ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line); split(line, a, /[ \t]+/); u = a[1] }
                    if (line ~ /^Suites:/)  { sub(/^Suites:[ \t]*/, "", line); s = " " line " " }
                    if (line ~ /^Enabled:[ \t]*no/) en = 0
                }
                if (en && u != "" && s ~ (" " cn " ")) { print u; exit }
            }' "$f")"
        [[ -n "$uri" ]] && break
    done
    if [[ -z "$uri" ]]; then
        uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | awk -v cn="$codename" '$1 == "deb" {
                    i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                    if ($(i+1) == cn) { print $i; exit } }')"
    fi
    [[ -n "$uri" ]] || deps_die "could not find the Debian mirror URI for '$codename' in the system's apt sources"
    printf '%s\n' "${uri%/}"
}

# apt options that point apt at a private state dir for SUITE/ARCH.
_apt_suite_opts() {
    local dir="$1" arch="$2"
    printf '%s\n' \
        -o "Dir::State=$dir/state" \
        -o "Dir::State::Lists=$dir/state/lists" \
        -o "Dir::State::status=$dir/state/status" \
        -o "Dir::Cache=$dir/cache" \
        -o "Dir::Cache::archives=$dir/cache/archives" \
        -o "Dir::Cache::pkgcache=$dir/cache/pkgcache.bin" \
        -o "Dir::Cache::srcpkgcache=$dir/cache/srcpkgcache.bin" \
        -o "Dir::Etc::SourceList=$dir/sources.list" \
        -o "Dir::Etc::SourceParts=$dir/sources.list.d" \
        -o "Dir::Etc::Preferences=$dir/preferences" \
        -o "Dir::Etc::PreferencesParts=$dir/preferences.d" \
        -o "APT::Architecture=$arch" \
        -o "APT::Architectures::=$arch" \
        -o "Acquire::Languages=none" \
        -o "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false" \
        -o "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false" \
        -o "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false" \
        -o "Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled=false" \
        -o "Acquire::Retries=5" \
        -o "Acquire::http::Timeout=60" \
        -o "Debug::NoLocking=true"
}

# Prepare (and refresh when stale) the private apt state for SUITE/ARCH; prints its dir.
apt_suite_prepare() {
    local suite="$1" arch="$2"
    local dir="$EDGEMIGRATE_CACHE/apt/$suite-$arch"
    mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial" "$dir/sources.list.d" "$dir/preferences.d"
    : > "$dir/preferences"
    [[ -f "$dir/state/status" ]] || : > "$dir/state/status"
    local mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    mirror="$(debian_mirror_uri)"
    local want="deb [arch=$arch signed-by=$keyring] $mirror $suite main"
    local stamp="$dir/state/updated.stamp"
    if [[ "$(cat "$dir/sources.list" 2>/dev/null)" != "$want" ]]; then
        printf '%s\n' "$want" > "$dir/sources.list"
        rm -f "$stamp"
    fi
    local now age=999999999
    now="$(date +%s)"
    [[ -f "$stamp" ]] && age=$(( now - $(stat -c %Y "$stamp") ))
    if (( age > APT_SUITE_MAX_AGE )); then
        deps_log "apt lists for $suite/$arch: updating (private state in $dir)"
        local -a opts; mapfile -t opts < <(_apt_suite_opts "$dir" "$arch")
        if ! retry 3 apt-get -q "${opts[@]}" update >"$dir/update.log" 2>&1; then
            tail -n 20 "$dir/update.log" >&2
            deps_die "apt-get update for suite '$suite' ($arch) from $mirror failed (log: $dir/update.log)"
        fi
        # apt-get update exits 0 on some fetch failures; make sure the Packages index is there.
        if ! compgen -G "$dir/state/lists/*_dists_${suite}_main_binary-${arch}_Packages*" >/dev/null; then
            tail -n 20 "$dir/update.log" >&2
            deps_die "no Packages index for $suite/main/$arch after apt-get update (log: $dir/update.log)"
        fi
        touch "$stamp"
    fi
    printf '%s\n' "$dir"
}

# apt_suite_download SUITE ARCH DESTDIR PKG...   (PKG may be NAME or NAME=VERSION; without a version
# the suite's candidate is taken). .debs already in DESTDIR with the wanted version are kept; the
# rest are fetched with one apt-get download.
apt_suite_download() {
    local suite="$1" arch="$2" dest="$3"; shift 3
    local dir; dir="$(apt_suite_prepare "$suite" "$arch")"
    local -a opts; mapfile -t opts < <(_apt_suite_opts "$dir" "$arch")
    mkdir -p "$dest"
    local pkg name ver f have
    local -a fetch=()
    for pkg in "$@"; do
        name="${pkg%%=*}"
        if [[ "$pkg" == *=* ]]; then
            ver="${pkg#*=}"
        else
            ver="$(apt-cache "${opts[@]}" show --no-all-versions "$name" 2>/dev/null | awk '/^Version:/ {print $2; exit}')" || true
            [[ -n "$ver" ]] || deps_die "package '$name' not found in Debian '$suite' ($arch)"
        fi
        have=""
        for f in "$dest/${name}"_*.deb; do
            [[ -f "$f" ]] || continue
            if [[ "$(dpkg-deb -f "$f" Package 2>/dev/null)" == "$name" && "$(dpkg-deb -f "$f" Version 2>/dev/null)" == "$ver" ]]; then
                have="$f"; break
            fi
        done
        [[ -n "$have" ]] || fetch+=("$name=$ver")
    done
    (( ${#fetch[@]} )) || return 0
    deps_log "downloading from $suite/$arch: ${fetch[*]}"
    if ! (cd "$dest" && retry 3 apt-get -q "${opts[@]}" download "${fetch[@]}" >"$dir/download.log" 2>&1); then
        tail -n 20 "$dir/download.log" >&2
        deps_die "apt-get download of ${fetch[*]} from Debian '$suite' ($arch) failed (log: $dir/download.log)"
    fi
}

# apt_suite_version SUITE ARCH PKG : the candidate version of PKG in SUITE/ARCH.
apt_suite_version() {
    local dir; dir="$(apt_suite_prepare "$1" "$2")"
    local -a opts; mapfile -t opts < <(_apt_suite_opts "$dir" "$2")
    apt-cache "${opts[@]}" show --no-all-versions "$3" 2>/dev/null | awk '/^Version:/ {print $2; exit}'
}

# Print the Depends and Pre-Depends of PKG in SUITE/ARCH (one line).
apt_suite_depends() {
    local suite="$1" arch="$2" pkg="$3"
    local dir; dir="$(apt_suite_prepare "$suite" "$arch")"
    local -a opts; mapfile -t opts < <(_apt_suite_opts "$dir" "$arch")
    apt-cache "${opts[@]}" show --no-all-versions "$pkg" | awk '/^(Pre-)?Depends:/ { sub(/^[^:]*: /, ""); printf "%s, ", $0 } END { print "" }'
}

# apt_suite_closure SUITE ARCH PKG...
# Print "NAME=VERSION" for PKG... and everything they depend on (no recommends) in SUITE/ARCH, as
# apt would install it on an empty system. Used to build self-contained private prefixes/sysroots.
apt_suite_closure() {
    local suite="$1" arch="$2"; shift 2
    local dir; dir="$(apt_suite_prepare "$suite" "$arch")"
    local -a opts; mapfile -t opts < <(_apt_suite_opts "$dir" "$arch")
    local out
    if ! out="$(apt-get "${opts[@]}" -s --no-install-recommends install "$@" 2>&1)"; then
        printf '%s\n' "$out" | tail -n 20 >&2
        deps_die "cannot resolve dependencies of '$*' in Debian '$suite' ($arch)"
    fi
    # "Inst libc6 (2.43-7 Debian:unstable [amd64])" -> libc6=2.43-7
    printf '%s\n' "$out" | awk '$1 == "Inst" { v = $3; sub(/^\(/, "", v); print $2 "=" v }'
}

# apt_suite_extract DEBDIR PREFIX PKG=VER...  : dpkg-deb -x the downloaded .debs into PREFIX.
apt_suite_extract() {
    local debdir="$1" prefix="$2"; shift 2
    local spec name ver f found
    mkdir -p "$prefix"
    for spec in "$@"; do
        name="${spec%%=*}"; ver="${spec#*=}"; found=""
        for f in "$debdir/${name}"_*.deb; do
            [[ -f "$f" ]] || continue
            if [[ "$(dpkg-deb -f "$f" Package)" == "$name" && "$(dpkg-deb -f "$f" Version)" == "$ver" ]]; then found="$f"; break; fi
        done
        [[ -n "$found" ]] || deps_die "no downloaded .deb for $name $ver in $debdir"
        dpkg-deb -x "$found" "$prefix" || deps_die "dpkg-deb -x $found failed"
    done
}
