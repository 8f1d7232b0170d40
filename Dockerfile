# TrailWarden's container image: built with the Swift toolchain, run on slim Debian with
# only the four C libraries it links (libcurl, libcrypto/libssl, zlib, SQLite), and libxml2,
# which Foundation's XML parser (used for S3's and the Query APIs' answers) links.
#
#   docker build -t trailwarden .
#   docker run --rm trailwarden demo          # needs no AWS; exit code 0
#
# `docker build` is untested by the project (its machine has no docker daemon and no access
# to the image registries); scripts/check-image-runtime checks the runtime stage's package
# list with debootstrap and chroot instead (docs/operations.md#the-image).
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl-dev zlib1g-dev libsqlite3-dev libcurl4-openssl-dev pkg-config ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Everything Package.swift names (its test targets' folders included); .dockerignore leaves .build out.
COPY . .
# The Swift runtime and Foundation are linked in, so the runtime image needs no Swift.
RUN swift build -c release --product trailwarden --static-swift-stdlib \
 && install -m 0755 "$(swift build -c release --show-bin-path)/trailwarden" /trailwarden

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcurl4 libssl3 zlib1g libsqlite3-0 libxml2 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --create-home --home-dir /var/lib/trailwarden trailwarden
COPY --from=build /trailwarden /usr/local/bin/trailwarden
USER 10001
WORKDIR /var/lib/trailwarden
ENTRYPOINT ["/usr/local/bin/trailwarden"]
