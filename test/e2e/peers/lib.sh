# shellcheck shell=bash
# Sourced by the peer scripts: where a peer version is cached, one build at a time per version, a
# scratch folder removed on exit, and installs by rename (atomic: a reader sees no file or a whole one).

# peer_cache NAME VERSION → $CIA_CACHE_DIR/NAME/VERSION (the same default as the harness).
peer_cache() { echo "${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/$1/$2"; }

# peer_lock DIR: hold DIR/.lock until the script exits. A second run of the same version (another
# developer, CI and the harness) waits here instead of building again, then finds the cached result.
peer_lock() {
  mkdir -p "$1"
  exec 9>"$1/.lock"
  flock 9
}

# peer_scratch: cd into a new temp folder, removed when the script exits.
peer_scratch() {
  PEER_SCRATCH="$(mktemp -d)"
  trap 'rm -rf "$PEER_SCRATCH"' EXIT
  cd "$PEER_SCRATCH" || exit 1
}

# peer_install SRC DEST: move SRC to DEST through a temp name in DEST's folder (same file system).
peer_install() {
  mv "$1" "$(dirname "$2")/.$(basename "$2").$$"
  mv "$(dirname "$2")/.$(basename "$2").$$" "$2"
}
