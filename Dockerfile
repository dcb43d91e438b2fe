# SimpleTimeService container image: one fully static, stripped binary on `scratch`.
#
#   docker build --build-arg VERSION="$(cat VERSION)" --build-arg REVISION="$(git rev-parse HEAD)" \
#     -t simple-time-service:"$(cat VERSION)" .
#   docker run --rm --read-only --cap-drop=ALL -p 127.0.0.1:8080:8080 simple-time-service:"$(cat VERSION)"
#
# Builds natively for the architecture of the builder (linux/amd64 or linux/arm64).
# Without Docker or registry access, scripts/image.sh builds this same file with buildah
# against a local builder image (see docs/adr/0002-static-binary-scratch-image.md).

# The build stage's image: the official Swift image of the version Package.swift needs.
# Any image with that Swift toolchain on PATH, binutils and the static glibc and libstdc++
# (libc6-dev, libstdc++-12-dev) will do.
ARG BUILDER_IMAGE=docker.io/library/swift:6.3.1-bookworm

# checkov:skip=CKV_DOCKER_7:the tag is in BUILDER_IMAGE's default above (6.3.1-bookworm); checkov does not expand ARGs
FROM ${BUILDER_IMAGE} AS build
WORKDIR /src

# The manifest (and the pinned dependency versions, once there are any) first, so that the
# dependency layer is reused while only sources change.
COPY Package.swift Package.resolved* ./
RUN swift package resolve

# Package.swift declares the test targets too, so their folders must exist to load it.
COPY Sources ./Sources
COPY Tests ./Tests

# Baked into the binary (`--version`, the `start` log line, /metrics build info) and the labels.
ARG VERSION=0.0.0-dev
ARG REVISION=unknown

# A static executable needs no loader and no shared libraries, so it runs on `scratch`.
# The linker strips it (--strip-all). Version and revision become C string literals:
# refuse anything that is not a plain version or revision string.
RUN case "${VERSION}${REVISION}" in \
      *[!0-9A-Za-z.+_-]*) echo "VERSION and REVISION may only contain 0-9 A-Z a-z . + _ -" >&2; exit 1 ;; \
    esac \
 && swift build -c release --product simple-time-service \
      --static-swift-stdlib -Xswiftc -static-executable -Xlinker --strip-all \
      -Xcc "-DSIMPLE_TIME_SERVICE_VERSION=\"${VERSION}\"" \
      -Xcc "-DSIMPLE_TIME_SERVICE_REVISION=\"${REVISION}\"" \
 && install -D -m 0555 \
      "$(swift build -c release --static-swift-stdlib -Xswiftc -static-executable --show-bin-path)/simple-time-service" \
      /out/simple-time-service \
 && /out/simple-time-service --version

FROM scratch

ARG VERSION=0.0.0-dev
ARG REVISION=unknown
# Where the source of this image lives (the repository's web address), e.g.
# --build-arg SOURCE_URL=https://github.com/OWNER/REPO; scripts/image.sh takes it from the
# `origin` remote.
ARG SOURCE_URL=""

LABEL org.opencontainers.image.title="simple-time-service" \
      org.opencontainers.image.description="Returns the current UTC time and the caller's IP address as JSON" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT"

# Owned by root, mode 0555: the service's user can run it, not change it.
COPY --from=build /out/simple-time-service /simple-time-service

# The distroless "nonroot" uid/gid; no /etc/passwd is needed for a numeric user.
USER 65532:65532
EXPOSE 8080

# Asks the running server for GET /healthz over loopback (no shell or curl in the image).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/simple-time-service", "healthcheck"]

ENTRYPOINT ["/simple-time-service"]
