#!/usr/bin/env bash
# Build, check and export the container image without a Docker daemon or a registry:
# buildah builds the repository's Dockerfile, podman runs and checks the image.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/image.sh [options] COMMAND

Builds the repository's Dockerfile with buildah and checks the image with podman, on a
machine without a Docker daemon or registry access. The Dockerfile is the one users build
with `docker build .`; only its BUILDER_IMAGE build argument is pointed at a local image.

Commands:
  build   Build the image (tag localhost/simple-time-service:VERSION). The first run
          prepares the local builder image: a debootstrap of Debian bookworm (minbase)
          with what the Swift toolchain needs at build time, from the Debian mirror apt
          uses on this machine, and with the host's Swift toolchain (the folder holding
          usr/bin/swift) mounted read-only at the same path and on PATH during the build.
  test    Run the image with podman (--read-only, --cap-drop=ALL, no-new-privileges) on a
          free loopback port and check: the build context, the image config (user, port,
          entrypoint, health check, OCI labels), its single file, the size budget
          (8 MB uncompressed), GET / and the other endpoints, --version and build info,
          the health check, uid/gid 65532 as PID 1 with no capabilities on a read-only
          root, and a SIGTERM stop that exits 0 within SHUTDOWN_TIMEOUT.
  save    Export the image as a docker-archive tar (what `docker load` reads) to
          OUTPUT/simple-time-service-VERSION.tar and check its manifest, config and layers.
  all     build, test and save.
  clean   Remove every image, container and cache this script created (.cache/image).

Options:
  --tag NAME             image name (default localhost/simple-time-service:VERSION)
  --builder-image IMAGE  build with this builder image instead of the local one (pulled
                         when missing), e.g. docker.io/library/swift:6.3.1-bookworm where
                         a registry is reachable. That image (the Dockerfile's default) is
                         also used when the host's Swift is installed in /usr rather than
                         in a folder of its own, as in the official Swift images
  --mirror URL           Debian mirror for the local builder (default: the bookworm
                         mirror in /etc/apt/sources.list[.d], else deb.debian.org)
  --output DIR           save: where to write the tar (default: out/)
  -h, --help             show this help

State (podman/buildah storage, the builder image, downloaded .debs, generated
configuration) lives in .cache/image/. Needs root, buildah, podman, runc, skopeo,
debootstrap, curl and jq (apt-get install buildah podman runc skopeo debootstrap curl jq).
The first build prepares the builder (about a minute); every build compiles the package
in it (under a minute on two cores). Intermediate layers are not kept: with vfs storage
each would be a full copy of the builder.

Exit status: 0 success, 1 a check or step failed, 2 usage error, 3 this machine cannot
run the image steps (a tool is missing, or not root): the message says what is missing.
EOF
}

# --- Arguments --------------------------------------------------------------------------

command=""
tag=""
builder_image=""
mirror=""
output_dir=""
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --tag | --builder-image | --mirror | --output)
      [[ $# -ge 2 && -n "$2" ]] || { printf 'error: %s needs a value\n' "$1" >&2; exit 2; }
      case "$1" in
        --tag) tag="$2" ;;
        --builder-image) builder_image="$2" ;;
        --mirror) mirror="$2" ;;
        --output) output_dir="$2" ;;
      esac
      shift 2 ;;
    build | test | save | all | clean)
      [[ -z "$command" ]] || { printf 'error: one command only (got %s and %s)\n' "$command" "$1" >&2; exit 2; }
      command="$1"; shift ;;
    *) printf "error: unknown argument '%s' (see --help)\n" "$1" >&2; exit 2 ;;
  esac
done
[[ -n "$command" ]] || { printf 'error: no command given: build, test, save, all or clean (see --help)\n' >&2; exit 2; }

cd "$REPO_ROOT"

# cannot_run REASON: this machine lacks something the image steps need; exit 3 so that the
# test command reports the image checks as skipped, with this reason.
cannot_run() {
  printf 'image checks cannot run here: %s\n' "$*" >&2
  exit 3
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 \
      || cannot_run "'$tool' is not installed (apt-get install buildah podman runc skopeo debootstrap curl jq)"
  done
}

[[ -f VERSION ]] || die "VERSION is missing at the repository root"
VERSION="$(tr -d '[:space:]' <VERSION)"
[[ "$VERSION" =~ ^[0-9A-Za-z.+_-]+$ ]] || die "VERSION '$VERSION' is not a plain version string"
IMAGE="${tag:-localhost/simple-time-service:$VERSION}"
STATE="${IMAGE_CACHE_DIR:-$REPO_ROOT/.cache/image}"
SIZE_BUDGET=8000000 # bytes, uncompressed
SIZE_GOAL=7000000

# --- Container engine configuration -----------------------------------------------------

# Writes storage.conf and containers.conf under $STATE and points buildah, podman and
# skopeo at them: vfs storage (works on any file system, also inside another container),
# runc with cgroupfs (no systemd needed), and ulimits within the host's hard limits.
setup_engine() {
  if ((EUID != 0)); then
    cannot_run "needs root (debootstrap, and podman and buildah with storage in $STATE)"
  fi
  require_tools buildah podman runc skopeo curl jq tar flock
  mkdir -p "$STATE"/{storage,run,tmp}

  # Serialize runs sharing this state (the storage is shared, container names are not).
  exec 9>"$STATE/lock"
  if ! flock -n 9; then
    log "waiting for another scripts/image.sh run to finish"
    flock 9
  fi

  # The run root must not outlive a reboot (it holds container and lock state).
  local boot_id=""
  [[ -r /proc/sys/kernel/random/boot_id ]] && boot_id="$(cat /proc/sys/kernel/random/boot_id)"
  if [[ -n "$boot_id" && "$(cat "$STATE/run/boot_id" 2>/dev/null || true)" != "$boot_id" ]]; then
    rm -rf "$STATE/run" "$STATE/tmp"
    mkdir -p "$STATE/run" "$STATE/tmp"
    printf '%s\n' "$boot_id" >"$STATE/run/boot_id"
  fi

  local nofile nproc
  nofile="$(ulimit -Hn)"; [[ "$nofile" == unlimited || "$nofile" -gt 65536 ]] && nofile=65536
  nproc="$(ulimit -Hu)"; [[ "$nproc" == unlimited || "$nproc" -gt 4096 ]] && nproc=4096
  write_file "$STATE/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$STATE/storage"
runroot = "$STATE/run"
EOF
  write_file "$STATE/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$STATE/run/events.log"
tmp_dir = "$STATE/tmp"
EOF
  export CONTAINERS_STORAGE_CONF="$STATE/storage.conf"
  export CONTAINERS_CONF="$STATE/containers.conf"
  export TMPDIR="$STATE/tmp"
}

# write_file PATH: write stdin to PATH only when it changed (atomic rename).
write_file() {
  local path="$1" tmp
  tmp="$(mktemp "$path.XXXXXX")"
  cat >"$tmp"
  if cmp -s "$tmp" "$path" 2>/dev/null; then rm -f "$tmp"; else mv -f "$tmp" "$path"; fi
}

# The Dockerfile's default builder image names the Swift version and Debian release
# that the local builder must match.
dockerfile_builder_default() {
  sed -n 's/^ARG BUILDER_IMAGE=//p' Dockerfile | head -n 1
}

# --- The local builder image --------------------------------------------------------------

# Packages the builder needs next to a minbase Debian: the linker and the static C and C++
# runtimes for `-static-executable`, and the shared libraries the toolchain's programs load
# (swift-build: sqlite3, ncurses, curl, xml2; swift-frontend: uuid, zlib).
BUILDER_PACKAGES=(binutils libc6-dev libgcc-12-dev libstdc++-12-dev
  libcurl4 libxml2 libsqlite3-0 libncurses6 libuuid1 zlib1g)

# apt_mirror SUITE: the URI of the first enabled `deb` source of SUITE with component main
# in this machine's apt configuration (one-line and deb822 formats).
apt_mirror() {
  local suite="$1" file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$file" ]] || continue
    awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { for (j = i + 2; j <= NF; j++) if ($j == "main") { print $i; exit } }
      }' "$file"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$file" ]] || continue
    awk -v suite="$suite" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " suite " ") \
            && (" " comps " ") ~ / main /) { split(uris, u, " "); print u[1]; found = 1 }
        types = suites = comps = uris = ""; enabled = "yes"
      }
      BEGIN { enabled = "yes" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); if (found) exit; next }
      { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ /, "")
        if (key == "types") types = $0; else if (key == "suites") suites = $0
        else if (key == "components") comps = $0; else if (key == "uris") uris = $0
        else if (key == "enabled") enabled = tolower($0) }
      END { if (!found) flush() }' "$file"
  done
}

# toolchain_root: the folder holding usr/bin/swift for the swift on PATH, or empty when
# the toolchain is installed into /usr itself (as in the official Swift images).
toolchain_root() {
  local swift_path root
  swift_path="$(readlink -f "$(command -v swift)")"
  root="$(dirname "$(dirname "$(dirname "$swift_path")")")"
  [[ "$root" != / && -x "$root/usr/bin/swift" ]] && printf '%s\n' "$root"
  return 0
}

# prepare_builder: set BUILDER (the builder image to use, the local one prepared if needed),
# BUILD_VOLUME_ARGS (the toolchain mount) and PULL_POLICY.
prepare_builder() {
  BUILD_VOLUME_ARGS=()
  if [[ -n "$builder_image" ]]; then
    PULL_POLICY=missing
    BUILDER="$builder_image"
    return
  fi
  PULL_POLICY=never
  command -v swift >/dev/null 2>&1 \
    || cannot_run "no Swift toolchain on PATH to mount into the builder (install Swift, or pass --builder-image)"

  local default swift_version suite
  default="$(dockerfile_builder_default)"
  [[ "$default" =~ swift:([0-9][0-9.]*)-([a-z]+)$ ]] \
    || die "cannot read the Swift version and Debian release from the Dockerfile's ARG BUILDER_IMAGE=$default"
  swift_version="${BASH_REMATCH[1]}" suite="${BASH_REMATCH[2]}"

  local toolchain host_version
  toolchain="$(toolchain_root)"
  if [[ -z "$toolchain" ]]; then
    # As in the official Swift images: nothing to mount, but a registry is usually reachable.
    log "the Swift toolchain on PATH is installed in /usr, not in a folder that can be mounted: building with the Dockerfile's default builder $default (pulled if missing)"
    PULL_POLICY=missing
    BUILDER="$default"
    return
  fi
  require_tools debootstrap
  host_version="$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9.]*\).*/\1/p' | head -n 1)"
  if [[ "$host_version" != "$swift_version" ]]; then
    warn "the host's Swift is ${host_version:-of unknown version}, the Dockerfile's builder has $swift_version: the image is built with the host's"
  fi

  if [[ -z "$mirror" ]]; then
    mirror="$(apt_mirror "$suite" | head -n 1)"
    [[ -n "$mirror" ]] || mirror="http://deb.debian.org/debian"
  fi
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [[ -f "$keyring" ]] || cannot_run "$keyring is missing: debootstrap cannot verify Debian's archive (apt-get install debian-archive-keyring)"

  local arch recipe key image
  arch="$(dpkg --print-architecture 2>/dev/null || uname -m)"
  recipe="suite=$suite arch=$arch mirror=$mirror toolchain=$toolchain packages=${BUILDER_PACKAGES[*]} recipe=1"
  key="$(printf '%s' "$recipe" | sha256sum | cut -c1-12)"
  image="localhost/simple-time-service-builder:$suite-$key"
  BUILD_VOLUME_ARGS=(--volume "$toolchain:$toolchain:ro")

  BUILDER="$image"
  if podman image exists "$image"; then
    log "builder image $image (cached; $recipe)"
    return
  fi

  log "preparing the builder image $image: debootstrap $suite ($arch, minbase) from $mirror"
  local rootfs="$STATE/builder-rootfs" started=$SECONDS
  rm -rf "$rootfs" "$rootfs.tar"
  mkdir -p "$STATE/debs"
  local packages
  packages="$(IFS=,; printf '%s' "${BUILDER_PACKAGES[*]}")"
  if ! debootstrap --variant=minbase --arch="$arch" --include="$packages" --keyring="$keyring" \
      --cache-dir="$STATE/debs" "$suite" "$rootfs" "$mirror" >"$STATE/debootstrap.log" 2>&1; then
    tail -n 20 "$STATE/debootstrap.log" >&2
    rm -rf "$rootfs"
    die "debootstrap of $suite from $mirror failed (log: $STATE/debootstrap.log)"
  fi
  # Downloaded packages, package lists and documentation are not needed to compile.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/{doc,man,info,locale}/*
  local path="$toolchain/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  tar --numeric-owner -C "$rootfs" -cf "$rootfs.tar" . || die "cannot archive the builder root file system"
  rm -rf "$rootfs"
  if ! podman import --quiet --change "ENV PATH=$path" --message "$recipe" "$rootfs.tar" "$image" >/dev/null; then
    rm -f "$rootfs.tar"
    die "podman import of the builder root file system failed"
  fi
  rm -f "$rootfs.tar"
  # Builders of earlier recipes are no longer used.
  local old
  while IFS= read -r old; do
    if [[ -n "$old" && "$old" != "$image" ]]; then podman rmi --force "$old" >/dev/null 2>&1 || true; fi
  done < <(podman images --format '{{.Repository}}:{{.Tag}}' --filter reference='localhost/simple-time-service-builder')
  log "builder image ready in $((SECONDS - started)) s ($(podman image inspect --format '{{.Size}}' "$image" | numfmt --to=si)B)"
}

# --- build ----------------------------------------------------------------------------------

# The git revision of the sources, with -dirty when the build context has uncommitted changes.
source_revision() {
  local revision
  if ! revision="$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null)"; then
    printf 'unknown\n'
    return
  fi
  if [[ -n "$(git -C "$REPO_ROOT" status --porcelain -- Package.swift Package.resolved Sources Tests Dockerfile .dockerignore 2>/dev/null)" ]]; then
    revision="$revision-dirty"
  fi
  printf '%s\n' "$revision"
}

# The repository's web address from the origin remote (credentials removed), or empty.
source_url() {
  local url
  url="$(git -C "$REPO_ROOT" remote get-url origin 2>/dev/null || true)"
  # git@host:owner/name.git, ssh://git@host[:port]/owner/name.git and https://[user@]host/...
  # become https://host/owner/name (never with credentials).
  local scheme rest authority host
  case "$url" in
    git@*:*) rest="${url#git@}"; url="https://${rest/://}" ;;
    ssh://* | https://* | http://*)
      scheme="${url%%://*}" rest="${url#*://}"
      authority="${rest%%/*}"
      host="${authority##*@}"
      if [[ "$scheme" == ssh ]]; then scheme=https; host="${host%%:*}"; fi
      url="$scheme://$host${rest#"$authority"}" ;;
    *) url="" ;;
  esac
  printf '%s\n' "${url%.git}"
}

cmd_build() {
  setup_engine
  local revision url started
  prepare_builder
  revision="$(source_revision)"
  url="$(source_url)"

  log "building $IMAGE from Dockerfile (version $VERSION, revision $revision) with builder $BUILDER"
  started=$SECONDS
  buildah build \
    --format docker \
    --isolation chroot \
    --network host \
    --pull="$PULL_POLICY" \
    "${BUILD_VOLUME_ARGS[@]}" \
    --build-arg BUILDER_IMAGE="$BUILDER" \
    --build-arg VERSION="$VERSION" \
    --build-arg REVISION="$revision" \
    --build-arg SOURCE_URL="$url" \
    --file Dockerfile \
    --tag "$IMAGE" \
    . || {
    # A failed build keeps its working container (a full copy of the builder in vfs).
    buildah rm --all >/dev/null 2>&1 || true
    die "buildah build of Dockerfile failed"
  }
  # Earlier builds of the tag, now untagged.
  podman image prune --force >/dev/null 2>&1 || warn "podman image prune failed"

  local size
  size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
  printf 'built   %s  %s bytes (%s MB uncompressed) in %d s\n' \
    "$IMAGE" "$size" "$(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1e6 }')" "$((SECONDS - started))"
}

# --- test -------------------------------------------------------------------------------------

passed=()
failed=()
pass() { passed+=("$1"); printf 'ok      %s\n' "$1"; }
fail() { failed+=("$1"); printf 'FAILED  %s\n' "$1"; }
# check NAME CONDITION-COMMAND...: record NAME as passed when the command succeeds.
check() {
  local name="$1"; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

container=""
cleanup_container() {
  if [[ -n "$container" ]]; then
    podman rm --force --time 0 "$container" >/dev/null 2>&1 || true
    container=""
  fi
}

# jq_check NAME JSON FILTER: the filter (with $v = VERSION) must yield true.
jq_check() {
  local name="$1" json="$2" filter="$3" detail
  if jq -e --arg v "$VERSION" "$filter" >/dev/null 2>&1 <<<"$json"; then
    pass "$name"
  else
    detail="$(jq -c "${4:-.}" <<<"$json" 2>/dev/null | cut -c1-300)"
    fail "$name (got: $detail)"
  fi
}

# The build context as buildah sees it with .dockerignore: copied into a scratch image.
check_build_context() {
  local dockerfile="$STATE/context-check.Dockerfile" probe="localhost/simple-time-service-context-probe:latest"
  printf 'FROM scratch\nCOPY . /context/\n' >"$dockerfile"
  if ! buildah build --quiet --format docker --isolation chroot --pull=never --file "$dockerfile" \
      --ignorefile .dockerignore --tag "$probe" . >/dev/null 2>"$STATE/context-check.log"; then
    fail "build context: buildah could not copy it ($(tail -n 1 "$STATE/context-check.log"))"
    return
  fi
  local mount files bytes unexpected
  mount="$(podman image mount "$probe")"
  files="$(cd "$mount/context" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)"
  bytes="$(du -sb "$mount/context" | cut -f1)"
  podman image unmount "$probe" >/dev/null
  podman rmi --force "$probe" >/dev/null
  unexpected="$({
    grep -Ev '^(Package\.swift|Package\.resolved|(Sources|Tests)/.*)$' <<<"$files"
    grep -E '(^|/)(\.git|\.build|\.swiftpm|\.venv|\.cache|\.terraform)(/|$)|\.tfstate|\.tfvars$|backend\.hcl$' <<<"$files"
  } | LC_ALL=C sort -u || true)"
  if [[ -n "$unexpected" ]]; then
    fail "build context: files that .dockerignore should exclude: $(head -n 5 <<<"$unexpected" | tr '\n' ' ')"
  elif ! grep -qx 'Package.swift' <<<"$files" || ! grep -q '^Sources/' <<<"$files"; then
    fail "build context: Package.swift or Sources/ is missing"
  elif ((bytes > 5000000)); then
    fail "build context: $bytes bytes, more than 5 MB"
  else
    pass "build context: $(wc -l <<<"$files") files, $((bytes / 1024)) KiB (Package.swift, Sources/, Tests/; no .git, .build, .venv, .cache, Terraform state)"
  fi
}

check_image_config() {
  local config
  # --raw: the config blob as stored (without it skopeo shows the OCI view, which has no
  # Healthcheck).
  if ! config="$(skopeo inspect --config --raw "containers-storage:$IMAGE")"; then
    fail "image config: skopeo inspect --config --raw containers-storage:$IMAGE failed"
    return
  fi
  jq_check "config: os linux, architecture $(podman info --format '{{.Host.Arch}}')" "$config" \
    ".os == \"linux\" and .architecture == \"$(podman info --format '{{.Host.Arch}}')\"" '{os, architecture}'
  jq_check 'config: User 65532:65532' "$config" '.config.User == "65532:65532"' '.config.User'
  jq_check 'config: ExposedPorts 8080/tcp only' "$config" '.config.ExposedPorts | keys == ["8080/tcp"]' '.config.ExposedPorts'
  jq_check 'config: Entrypoint ["/simple-time-service"], no Cmd' "$config" \
    '.config.Entrypoint == ["/simple-time-service"] and ((.config.Cmd // []) | length == 0)' '{Entrypoint: .config.Entrypoint, Cmd: .config.Cmd}'
  jq_check 'config: Healthcheck CMD /simple-time-service healthcheck (10s interval, 3s timeout, 5s start period, 3 retries)' "$config" \
    '.config.Healthcheck == {Test: ["CMD", "/simple-time-service", "healthcheck"], Interval: 10000000000, Timeout: 3000000000, StartPeriod: 5000000000, Retries: 3}' \
    '.config.Healthcheck'
  jq_check 'config: no environment beyond PATH, no volumes, no shell form' "$config" \
    '((.config.Env // []) | all(startswith("PATH="))) and ((.config.Volumes // {}) | length == 0) and (.config.Shell == null)' \
    '{Env: .config.Env, Volumes: .config.Volumes, Shell: .config.Shell}'
  # shellcheck disable=SC2016 # $l and $v are jq variables
  jq_check "labels: OCI title, description, source, licenses MIT, version $VERSION, revision" "$config" '
    .config.Labels as $l
      | $l["org.opencontainers.image.title"] == "simple-time-service"
      and ($l["org.opencontainers.image.description"] | length > 0)
      and ($l | has("org.opencontainers.image.source"))
      and $l["org.opencontainers.image.licenses"] == "MIT"
      and $l["org.opencontainers.image.version"] == $v
      and ($l["org.opencontainers.image.revision"] | test("^([0-9a-f]{40}(-dirty)?|unknown)$"))' '.config.Labels'
  jq_check 'layers: exactly one (the binary)' "$config" '.rootfs.diff_ids | length == 1' '.rootfs'
  REVISION_LABEL="$(jq -r '.config.Labels["org.opencontainers.image.revision"] // ""' <<<"$config")"
  local source expected
  source="$(jq -r '.config.Labels["org.opencontainers.image.source"] // ""' <<<"$config")"
  expected="$(source_url)"
  check "label org.opencontainers.image.source: ${source:-empty, as the repository has no origin remote}" \
    test "$source" == "$expected"
}

check_image_files() {
  local mount listing
  if ! mount="$(podman image mount "$IMAGE")"; then
    fail "image files: podman image mount failed"
    return
  fi
  listing="$(cd "$mount" && find . -mindepth 1 -printf '%P %y %m %U:%G\n' | LC_ALL=C sort)"
  local magic
  magic="$(head -c 4 "$mount/simple-time-service" 2>/dev/null | od -An -c | tr -d ' \n')"
  podman image unmount "$IMAGE" >/dev/null
  if [[ "$listing" == "simple-time-service f 555 0:0" && "$magic" == '177ELF' ]]; then
    pass "image files: only /simple-time-service (ELF, mode 0555, owner 0:0)"
  else
    fail "image files: expected only /simple-time-service (ELF, 0555, 0:0), found: $(tr '\n' ';' <<<"$listing" | cut -c1-300)"
  fi
}

check_size() {
  local size mb
  size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
  mb="$(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1e6 }')"
  if ((size > SIZE_BUDGET)); then
    fail "size: $size bytes ($mb MB) uncompressed, above the 8 MB budget"
  elif ((size > SIZE_GOAL)); then
    pass "size: $size bytes ($mb MB, $(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1048576 }') MiB) uncompressed, within the 8 MB budget (above the 7 MB goal)"
  else
    pass "size: $size bytes ($mb MB, $(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1048576 }') MiB) uncompressed, within the 8 MB budget and the 7 MB goal"
  fi
  IMAGE_SIZE="$size"
}

# http GET PATH [CURL ARGS...]: sets HTTP_STATUS, HTTP_HEADERS, HTTP_BODY.
http() {
  local path="$1"; shift
  local headers="$STATE/tmp/headers" body="$STATE/tmp/body"
  HTTP_STATUS="$(curl --silent --show-error --max-time 5 --dump-header "$headers" --output "$body" \
    --write-out '%{http_code}' "$@" "http://127.0.0.1:$PORT$path" 2>&1)" || HTTP_STATUS="curl failed: $HTTP_STATUS"
  HTTP_HEADERS="$(tr -d '\r' <"$headers" 2>/dev/null || true)"
  HTTP_BODY="$(cat "$body" 2>/dev/null || true)"
}

header() { sed -n "s/^$1: //Ip" <<<"$HTTP_HEADERS" | head -n 1; }

check_http() {
  http /
  local body="$HTTP_BODY" now
  now="$(date -u +%s)"
  if [[ "$HTTP_STATUS" == 200 && "$(header content-type)" == application/json* && "$(header cache-control)" == no-store ]] \
      && jq -e '(keys == ["ip", "timestamp"])
          and (.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"))
          and (.ip | test("^([0-9]{1,3}\\.){3}[0-9]{1,3}$|^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$"))' >/dev/null 2>&1 <<<"$body" \
      && jq -e --argjson now "$now" '(.timestamp | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) - $now | fabs < 300' >/dev/null 2>&1 <<<"$body"; then
    pass "GET /: 200, application/json, Cache-Control: no-store, $body"
  else
    fail "GET /: expected 200 JSON {timestamp (UTC, now), ip} with Cache-Control: no-store, got $HTTP_STATUS $(header content-type) $(header cache-control) $body"
  fi

  http / --header 'X-Forwarded-For: 203.0.113.9'
  if [[ "$HTTP_STATUS" == 200 ]] && jq -e '.ip != "203.0.113.9"' >/dev/null 2>&1 <<<"$HTTP_BODY"; then
    pass "GET / with X-Forwarded-For from an untrusted peer: the header is ignored (ip $(jq -r .ip <<<"$HTTP_BODY"))"
  else
    fail "GET / with X-Forwarded-For from an untrusted peer: got $HTTP_STATUS $HTTP_BODY"
  fi

  http /healthz
  check "GET /healthz: 200 {\"status\":\"ok\"}" \
    test "$HTTP_STATUS $(jq -c . <<<"$HTTP_BODY" 2>/dev/null)" == '200 {"status":"ok"}'
  http /readyz
  check "GET /readyz: 200 {\"status\":\"ready\"}" \
    test "$HTTP_STATUS $(jq -c . <<<"$HTTP_BODY" 2>/dev/null)" == '200 {"status":"ready"}'

  http /metrics
  local info
  info="simple_time_service_build_info{version=\"$VERSION\",revision=\"$REVISION_LABEL\"} 1"
  if [[ "$HTTP_STATUS" == 200 ]] && grep -qxF "$info" <<<"$HTTP_BODY"; then
    pass "GET /metrics: 200, $info"
  else
    fail "GET /metrics: expected 200 with $info, got $HTTP_STATUS $(grep build_info <<<"$HTTP_BODY" | head -n 2 | tr '\n' ' ')"
  fi
}

check_process() {
  local pid status mountinfo root_options
  pid="$(podman inspect --format '{{.State.Pid}}' "$container")"
  if [[ ! "$pid" =~ ^[1-9][0-9]*$ ]] || ! status="$(cat "/proc/$pid/status")"; then
    fail "process: cannot read /proc of the container's process (pid '$pid')"
    return
  fi
  field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^[ \t]+/, ""); print }' <<<"$status"; }
  check "process: uid 65532 (real, effective, saved, fs) [$(field Uid)]" \
    test "$(field Uid | tr -s '\t ' ' ')" == '65532 65532 65532 65532'
  check "process: gid 65532, no other groups [$(field Gid | tr -s '\t ' ' ')] [groups: $(field Groups)]" \
    grep -qxE '65532 65532 65532 65532\|(65532 ?)?' <<<"$(field Gid | tr -s '\t ' ' ')|$(field Groups)"
  check "process: PID 1 in the container, no init or shell (NSpid $(field NSpid | tr -s '\t ' ' '))" \
    test "$(field NSpid | awk '{print $NF}')" == 1
  check "process: no capabilities (CapInh/CapPrm/CapEff/CapBnd/CapAmb all zero)" \
    test "$(field CapInh)$(field CapPrm)$(field CapEff)$(field CapBnd)$(field CapAmb)" == "$(printf '0%.0s' {1..80})"
  check "process: no_new_privs set" test "$(field NoNewPrivs)" == 1
  mountinfo="$(cat "/proc/$pid/mountinfo")"
  root_options="$(awk '$5 == "/" { print $6; exit }' <<<"$mountinfo")"
  check "process: root file system mounted read-only ($root_options)" \
    grep -qE '(^|,)ro(,|$)' <<<"$root_options"
  local processes
  processes="$(podman top "$container" pid user args 2>/dev/null | tail -n +2)"
  check "podman top: one process, /simple-time-service as 65532 [$(tr -s ' ' <<<"$processes" | tr '\n' ';')]" \
    test "$(wc -l <<<"$processes") $(awk '{print $2, $3}' <<<"$processes")" == '1 65532 /simple-time-service'
}

check_commands() {
  local output code
  output="$(podman exec "$container" /simple-time-service --version 2>&1)" || true
  check "--version: $output" test "$output" == "simple-time-service $VERSION (revision $REVISION_LABEL)"

  local health
  code=0
  podman healthcheck run "$container" >"$STATE/tmp/health.out" 2>&1 || code=$?
  health="$(podman inspect --format '{{.State.Health.Status}}' "$container" 2>/dev/null || true)"
  check "podman healthcheck run (the image's HEALTHCHECK): exit $code, status ${health:-none} $(tr '\n' ' ' <"$STATE/tmp/health.out")" \
    test "$code $health" == '0 healthy'
  code=0
  podman exec --env PORT=1 "$container" /simple-time-service healthcheck >/dev/null 2>&1 || code=$?
  check "healthcheck against a port nothing listens on: exit 1 (got $code)" test "$code" -eq 1

  code=0
  output="$(podman exec "$container" /simple-time-service --print-config 2>&1)" || code=$?
  if ((code == 0)) && jq -e '.port == 8080 and .host == "::" and .shutdown_timeout == 10' >/dev/null 2>&1 <<<"$output"; then
    pass "--print-config: port 8080, host ::, shutdown_timeout 10"
  else
    fail "--print-config: exit $code, $output"
  fi
}

check_stop() {
  local started code logs
  started=$SECONDS
  podman stop --time "$SHUTDOWN_TIMEOUT" "$container" >/dev/null 2>&1 || true
  code="$(podman inspect --format '{{.State.ExitCode}}' "$container")"
  logs="$(podman logs "$container" 2>&1 || true)"
  if [[ "$code" == 0 ]]; then
    pass "podman stop (SIGTERM, SIGKILL after SHUTDOWN_TIMEOUT=${SHUTDOWN_TIMEOUT}s): exit code 0 after $((SECONDS - started)) s"
  else
    fail "podman stop (SIGTERM, SIGKILL after ${SHUTDOWN_TIMEOUT}s): exit code $code, not 0"
  fi
  # shellcheck disable=SC2016 # $v and $r are jq variables
  if jq -e -s --arg v "$VERSION" --arg r "$REVISION_LABEL" '
      (map(select(.event == "start" and .version == $v and .revision == $r)) | length == 1)
      and (map(select(.event == "drained")) | length == 1)
      and (map(select(.event == "exit" and .status == 0)) | length == 1)' >/dev/null 2>&1 <<<"$logs"; then
    pass 'logs: JSON lines on stdout: start (with version and revision), drained, exit status 0'
  else
    fail 'logs: expected JSON lines on stdout with start (version, revision), drained and exit status 0'
  fi
  show_log_on_failure "$FAILED_BEFORE_RUN" "$logs"
}

# Shows the end of the container's log after a failed check of the running container.
show_log_on_failure() {
  if ((${#failed[@]} > $1)); then
    printf -- '--- container log (last 20 lines) ---\n%s\n---\n' "$(tail -n 20 <<<"$2")"
  fi
}

cmd_test() {
  setup_engine
  podman image exists "$IMAGE" || die "image $IMAGE does not exist: run scripts/image.sh build first"
  trap cleanup_container EXIT
  REVISION_LABEL="" IMAGE_SIZE=0
  SHUTDOWN_TIMEOUT=10

  check_build_context
  check_image_config
  check_image_files
  check_size

  FAILED_BEFORE_RUN=${#failed[@]}
  container="simple-time-service-image-test-$$"
  log "running $IMAGE as $container (--read-only --cap-drop=ALL --security-opt=no-new-privileges)"
  if ! podman run --detach --name "$container" \
      --read-only --cap-drop=ALL --security-opt=no-new-privileges \
      --publish 127.0.0.1::8080 \
      --env SHUTDOWN_TIMEOUT="$SHUTDOWN_TIMEOUT" \
      "$IMAGE" >"$STATE/tmp/run.out" 2>&1; then
    cat "$STATE/tmp/run.out" >&2
    fail "podman run: the container did not start"
  else
    PORT="$(podman port "$container" 8080/tcp | head -n 1)"
    PORT="${PORT##*:}"
    # Wait (bounded) for the listener; the container has just been started.
    local tries=0 ready=0
    while ((tries < 100)); do
      if curl --silent --output /dev/null --max-time 1 "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
        ready=1
        break
      fi
      [[ "$(podman inspect --format '{{.State.Running}}' "$container")" == true ]] || break
      tries=$((tries + 1))
      sleep 0.1
    done
    if ((ready)); then
      pass "podman run: started, 8080/tcp published on 127.0.0.1:$PORT"
    else
      fail "podman run: nothing answers on 127.0.0.1:$PORT (running: $(podman inspect --format '{{.State.Running}}' "$container"))"
    fi
    check_http
    check_process
    check_commands
    check_stop
  fi
  cleanup_container
  trap - EXIT

  printf '\n'
  if ((${#failed[@]} > 0)); then
    printf 'image test: %d of %d checks FAILED:\n' "${#failed[@]}" "$((${#passed[@]} + ${#failed[@]}))"
    printf '  %s\n' "${failed[@]}"
    exit 1
  fi
  printf 'image test: all %d checks passed (%s, %s bytes)\n' "${#passed[@]}" "$IMAGE" "$IMAGE_SIZE"
}

# --- save -----------------------------------------------------------------------------------

cmd_save() {
  setup_engine
  podman image exists "$IMAGE" || die "image $IMAGE does not exist: run scripts/image.sh build first"
  local out="${output_dir:-$REPO_ROOT/out}"
  mkdir -p "$out"
  local archive="$out/simple-time-service-$VERSION.tar"
  rm -f "$archive"
  podman save --quiet --format docker-archive --output "$archive" "$IMAGE" \
    || die "podman save of $IMAGE failed"

  # What `docker load` reads: manifest.json naming the config, the tags and the layers,
  # each layer's sha256 equal to the config's diff_id.
  local work="$STATE/tmp/save-check"
  rm -rf "$work"; mkdir -p "$work"
  tar -xf "$archive" -C "$work" || die "$archive is not a tar archive"
  local manifest problems=()
  manifest="$(cat "$work/manifest.json" 2>/dev/null)" || die "$archive has no manifest.json"
  jq -e --arg tag "$IMAGE" 'length == 1 and (.[0].RepoTags == [$tag]) and (.[0].Config | type == "string")
      and (.[0].Layers | type == "array" and length == 1)' >/dev/null <<<"$manifest" \
    || problems+=("manifest.json: expected one image tagged $IMAGE with a Config and one layer: $(jq -c . <<<"$manifest")")
  local config_file config layer diff_id actual
  config_file="$(jq -r '.[0].Config' <<<"$manifest")"
  config="$(cat "$work/$config_file" 2>/dev/null)" || problems+=("config $config_file is missing from the archive")
  jq -e '.config.Healthcheck.Test == ["CMD", "/simple-time-service", "healthcheck"]
      and .config.User == "65532:65532" and .config.Entrypoint == ["/simple-time-service"]
      and (.config.ExposedPorts | has("8080/tcp")) and .os == "linux"' >/dev/null 2>&1 <<<"$config" \
    || problems+=("config: health check, user, entrypoint or port missing: $(jq -c .config <<<"$config" 2>/dev/null | cut -c1-300)")
  layer="$(jq -r '.[0].Layers[0]' <<<"$manifest")"
  diff_id="$(jq -r '.rootfs.diff_ids[0]' <<<"$config" 2>/dev/null)"
  actual="sha256:$(sha256sum "$work/$layer" 2>/dev/null | cut -d' ' -f1)"
  [[ "$actual" == "$diff_id" ]] || problems+=("layer $layer: sha256 $actual is not the config's diff_id $diff_id")
  [[ "$(tar -tf "$work/$layer" 2>/dev/null)" == simple-time-service ]] \
    || problems+=("layer $layer: expected only simple-time-service, found: $(tar -tf "$work/$layer" 2>/dev/null | head -n 5 | tr '\n' ' ')")
  # A second reader: skopeo, as a registry client would read the archive.
  skopeo inspect --config "docker-archive:$archive" >/dev/null 2>&1 \
    || problems+=("skopeo cannot read $archive as a docker-archive")
  local compressed
  compressed="$(gzip -9 -n -c <"$work/$layer" | wc -c)"
  rm -rf "$work"
  if ((${#problems[@]} > 0)); then
    printf 'FAILED  %s\n' "${problems[@]}"
    die "the saved archive is not what docker load expects"
  fi
  printf 'saved   %s  %s bytes (layer %s bytes gzip-compressed), loadable with: docker load -i %s\n' \
    "${archive#"$REPO_ROOT"/}" "$(stat -c %s "$archive")" "$compressed" "${archive#"$REPO_ROOT"/}"
}

# --- clean ----------------------------------------------------------------------------------

cmd_clean() {
  if [[ ! -d "$STATE" ]]; then
    log "nothing to clean ($STATE does not exist)"
    return
  fi
  setup_engine
  podman rm --all --force >/dev/null 2>&1 || true
  podman rmi --all --force >/dev/null 2>&1 || true
  buildah rm --all >/dev/null 2>&1 || true
  exec 9>&-
  rm -rf "$STATE"
  log "removed $STATE"
}

case "$command" in
  build) cmd_build ;;
  test) cmd_test ;;
  save) cmd_save ;;
  all) cmd_build; cmd_test; cmd_save ;;
  clean) cmd_clean ;;
esac
