# shellcheck shell=bash
# Shared helpers for the scripts in scripts/ and bench/. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# The repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT

# Python virtual environments live under .venv/<name>, one per tool set, so that
# tools with conflicting dependencies (checkov and python-hcl2) never share one.
VENV_ROOT="${VENV_ROOT:-$REPO_ROOT/.venv}"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# require_cmd CMD [HINT]: fail with one clear line when CMD is not on PATH.
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed${2:+ ($2)}"
}

# ensure_venv NAME REQUIREMENTS_FILE: create or update .venv/NAME from a pinned
# requirements file and print the venv's bin directory. Reinstalls only when the
# requirements file changed since the last install.
ensure_venv() {
  local name="$1" requirements="$2"
  local venv="$VENV_ROOT/$name"
  local stamp="$venv/.requirements.sha256"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ ! -x "$venv/bin/python" ]]; then
    log "creating Python virtual environment $venv"
    python3 -m venv "$venv" >&2 || die "python3 -m venv failed (install python3-venv)"
  fi
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    log "installing $(basename "$requirements") into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2 \
      || die "pip install -r $requirements failed"
    printf '%s\n' "$want" > "$stamp"
  fi
  printf '%s\n' "$venv/bin"
}

# version_build_flags: sets the array VERSION_BUILD_FLAGS to the swift build flags that bake the
# version (from VERSION) and the git revision into the binary (--version, logs, /metrics).
version_build_flags() {
  local version revision
  version="$(tr -d '[:space:]' < "$REPO_ROOT/VERSION")"
  revision="$(git -C "$REPO_ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  # shellcheck disable=SC2034 # read by the scripts that call this function
  VERSION_BUILD_FLAGS=(-Xcc "-DSIMPLE_TIME_SERVICE_VERSION=\"$version\"" -Xcc "-DSIMPLE_TIME_SERVICE_REVISION=\"$revision\"")
}
