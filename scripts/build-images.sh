#!/usr/bin/env bash
# Builds the operator and node images on a machine with no Docker engine and no container
# registry: Debian's podman (runtime runc), base images made from Debian packages.
#
#   scripts/build-images.sh            # -> localhost/diotec360/lattice-operator:0.1.0
#                                      #    localhost/diotec360/lattice-node:0.1.0
#
# The Dockerfiles' default bases (eclipse-temurin, distroless) cannot be pulled here, so each is
# replaced, through the Dockerfiles' JDK_IMAGE / RUNTIME_IMAGE build arguments, by a stand-in made
# with debootstrap (Debian bookworm, minbase) and `podman import`:
#   lattice-base/minbase  minbase + a "nonroot" user 65532     for gcr.io/distroless/base-debian12:nonroot
#   lattice-base/jre17    + openjdk-17-jre-headless             for eclipse-temurin:17-jre-alpine
#   lattice-base/jdk17    + openjdk-17-jdk-headless, binutils   for eclipse-temurin:17-jdk(-jammy)
# They are tagged with a hash of their recipe and kept in podman's store; the downloaded .deb files
# are kept in $LATTICE_IMAGE_CACHE (default ~/.cache/lattice-images). A second run reuses both.
#
# The jars are built as the Dockerfiles say, by the Maven wrapper in their build stage. The local
# Maven repository (~/.m2, warm after `./mvnw -B verify`) is mounted there as an overlay: Maven
# reads it, its writes land in a throw-away layer, so ~/.m2 is never changed and no dependency is
# fetched twice. Without ~/.m2 the build stage downloads what it needs from Maven Central.
#
# Needs: root (or sudo), podman, runc, debootstrap (apt-get install podman runc debootstrap).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

TAG="${LATTICE_IMAGE_TAG:-0.1.0}"
OPERATOR_IMAGE="diotec360/lattice-operator:$TAG"
NODE_IMAGE="diotec360/lattice-node:$TAG"
CACHE="${LATTICE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lattice-images}"
MIRROR="${LATTICE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
M2="${LATTICE_M2_REPO:-$HOME/.m2}"
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images: unknown argument $arg (--help)" >&2; exit 2 ;;
  esac
done

say() { printf '[build-images %4ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
START=$(date +%s)
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
# runc: crun refuses this machine's cgroup layout. Limits: raising one is refused here.
podman() { ${sudo:-command} podman --runtime /usr/sbin/runc "$@"; }
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
# Build containers reach the Debian mirror (plain http, packages checked by apt's keys) through the
# host's network. The host's trust store is not mounted: ca-certificates, pulled in by Java, writes
# /etc/ssl/certs, and no image may carry the host's copy.
NET=(--network host)

for tool in podman debootstrap /usr/sbin/runc; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "build-images: $tool is missing: apt-get install podman runc debootstrap" >&2; exit 1; }
done

# ---- base images ---------------------------------------------------------------------------
# A stand-in's tag is a hash of its recipe (the layer below it, the packages, the apt script), so
# a changed recipe makes a new stand-in and an unchanged one is reused.
hash() { { printf '%s|' "$@"; cat scripts/images/apt-layer.sh; } | sha256sum | cut -c1-12; }
MINBASE="localhost/lattice-base/minbase:$(printf '%s' "$SUITE $MIRROR minbase nonroot:65532" | sha256sum | cut -c1-12)"
JRE="localhost/lattice-base/jre17:$(hash "$MINBASE" openjdk-17-jre-headless)"
# binutils: Debian's jlink runs objcopy for --strip-debug.
JDK="localhost/lattice-base/jdk17:$(hash "$JRE" openjdk-17-jdk-headless binutils)"

have_image() { podman image exists "$1"; }
# quietly LOG COMMAND...: the command's output goes to LOG, and its tail to stderr when it fails.
quietly() {
  local log="$1"; shift
  "$@" >"$log" 2>&1 || {
    grep -v '^\(Copying\|Getting\|Writing\|Storing\)' "$log" | tail -40 >&2
    echo "build-images: failed: ${*:1:4} ... (whole output: $log)" >&2
    exit 1
  }
}

# One package layer on top of a base, from a throw-away Containerfile; scripts/images/apt-layer.sh
# and the .deb cache are mounted, not copied.
apt_layer() { # from, tag, packages...
  local from="$1" tag="$2"; shift 2
  local dir; dir="$(mktemp -d)"
  printf 'FROM %s\nRUN sh /setup/apt-layer.sh %s %s\n' "$from" "$MIRROR" "$*" >"$dir/Containerfile"
  quietly "$CACHE/${tag##*/}.log" podman build --no-cache "${LIMITS[@]}" "${NET[@]}" \
    -v "$root/scripts/images:/setup:ro" -v "$CACHE/debs:/var/cache/apt/archives" \
    -t "$tag" -f "$dir/Containerfile" "$dir"
  rm -rf "$dir"
}

mkdir -p "$CACHE/debs/partial"
if ! have_image "$MINBASE"; then
  say "making $MINBASE with debootstrap --variant=minbase $SUITE (first run only)"
  chroot_dir="$(mktemp -d)"
  trap '$sudo rm -rf "$chroot_dir"' EXIT
  $sudo debootstrap --variant=minbase --cache-dir="$CACHE/debs" "$SUITE" "$chroot_dir" "$MIRROR" \
    >"$CACHE/debootstrap.log" 2>&1 || {
      tail -20 "$CACHE/debootstrap.log" >&2; echo "build-images: debootstrap failed" >&2; exit 1; }
  # distroless's nonroot user (65532), so that the operator's stand-in runtime has it too.
  $sudo chroot "$chroot_dir" sh -c 'groupadd -g 65532 nonroot && useradd -u 65532 -g 65532 -d /home/nonroot -m -s /usr/sbin/nologin nonroot'
  $sudo rm -rf "$chroot_dir"/var/cache/apt/archives/*.deb "$chroot_dir"/var/lib/apt/lists/* \
    "$chroot_dir"/var/log/*.log "$chroot_dir"/usr/share/doc/* "$chroot_dir"/usr/share/man/* \
    "$chroot_dir"/usr/share/locale/*
  $sudo tar -C "$chroot_dir" --numeric-owner -c . | quietly "$CACHE/minbase-import.log" podman import \
    --change 'CMD ["/bin/bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$MINBASE"
  $sudo rm -rf "$chroot_dir"; trap - EXIT
fi
if ! have_image "$JRE"; then
  say "making $JRE (openjdk-17-jre-headless)"
  apt_layer "$MINBASE" "$JRE" openjdk-17-jre-headless
fi
if ! have_image "$JDK"; then
  say "making $JDK (openjdk-17-jdk-headless, binutils)"
  apt_layer "$JRE" "$JDK" openjdk-17-jdk-headless binutils
fi
# Stand-ins of an older recipe are dead weight in the store.
for old in $(podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/lattice-base/' \
    | grep -vxF -e "$MINBASE" -e "$JRE" -e "$JDK"); do
  podman rmi "$old" >/dev/null 2>&1 || true
done
say "bases ready: $MINBASE, $JRE, $JDK"

# ---- the images ------------------------------------------------------------------------------
M2_MOUNT=()
if [ -d "$M2/repository" ]; then
  M2_MOUNT=(-v "$M2:/root/.m2:O")
else
  say "no $M2/repository: the build stages download Maven's dependencies themselves"
fi
build() { # dockerfile, tag, runtime base
  local t0; t0=$(date +%s)
  quietly "$CACHE/${2//[\/:]/_}.log" podman build "${LIMITS[@]}" "${NET[@]}" "${M2_MOUNT[@]}" \
    --build-arg JDK_IMAGE="$JDK" --build-arg RUNTIME_IMAGE="$3" -f "$1" -t "$2" .
  say "built $2 in $(( $(date +%s) - t0 ))s: $(podman image inspect --format '{{.Size}}' "$2" \
    | awk '{printf "%.0f MB", $1/1000000}')"
}
build operator/Dockerfile "$OPERATOR_IMAGE" "$MINBASE"
build node-image/Dockerfile "$NODE_IMAGE" "$JRE"
say "done: $OPERATOR_IMAGE, $NODE_IMAGE"
