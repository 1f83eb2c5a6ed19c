#!/usr/bin/env bash
# Builds kube-apiserver and kubectl from k8s.io/kubernetes (Go module proxy) and caches both binaries
# outside the repo, keyed by version; prints the folder that holds them. k8s.io/kubernetes' go.mod
# points its staging modules (k8s.io/api, client-go, ...) at ./staging/..., which `go install` refuses,
# so a throwaway wrapper module replaces each of them with its published twin (v1.X.Y → v0.X.Y), read
# from kubernetes' own go.mod, and builds both commands in one `go build` (they share most packages).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.34.4}"
CACHE="$(peer_cache kubernetes "$KUBERNETES_VERSION")"
cached() { [[ -x "$CACHE/kube-apiserver" && -x "$CACHE/kubectl" ]]; }
if cached; then echo "$CACHE"; exit 0; fi
command -v go >/dev/null || { echo "build-kubernetes: go not found (kubernetes $KUBERNETES_VERSION needs Go 1.24+)" >&2; exit 1; }
[[ "$KUBERNETES_VERSION" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] ||
  { echo "build-kubernetes: KUBERNETES_VERSION must look like v1.34.4 (got $KUBERNETES_VERSION)" >&2; exit 1; }
minor="${BASH_REMATCH[1]}"
staging_version="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
peer_lock "$CACHE"
if cached; then echo "$CACHE"; exit 0; fi
peer_scratch
echo "building kube-apiserver and kubectl $KUBERNETES_VERSION (first time only; cached in $CACHE)" >&2
go mod init kubernetes-wrapper >/dev/null 2>&1
gomod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
[[ -f "$gomod" ]] || { echo "build-kubernetes: cannot download k8s.io/kubernetes@$KUBERNETES_VERSION" >&2; exit 1; }
mapfile -t staging < <(sed -n 's|^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/.*|\1|p' "$gomod")
((${#staging[@]} > 0)) || { echo "build-kubernetes: no staging replaces in $gomod" >&2; exit 1; }
for module in "${staging[@]}"; do echo "replace $module => $module $staging_version" >>go.mod; done
GOFLAGS=-mod=mod go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" \
  "k8s.io/kubernetes/cmd/kubectl@$KUBERNETES_VERSION" >&2
# The version the binaries report (kubectl version, the server's /version), as kubernetes' own
# hack/lib/version.sh stamps it.
stamp=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
mkdir bin
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w$stamp" -o bin/ \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl >&2
bin/kubectl version --client >/dev/null
for name in kube-apiserver kubectl; do peer_install "bin/$name" "$CACHE/$name"; done
echo "$CACHE"
