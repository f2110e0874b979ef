# Ponder in a container: built in Rust's image, run in a distroless one (glibc
# and CA certificates; no shell, no package manager) as a non-root user, with the
# site's data in the volume /data.
#
#   docker build -t ponder .
#   docker run -d -p 8080:8080 -v ponder-data:/data \
#     -e PONDER_BASE_URL=https://ask.example.org ponder
#
# Settings are PONDER_* environment variables (the README's Configuration
# table); docs/deploy.md shows it behind a proxy and on PostgreSQL.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p ponder \
 && cp target/release/ponder /usr/local/bin/ponder \
 && mkdir /data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/ponder /usr/local/bin/ponder
# A new named volume takes this folder's owner: the image's non-root user.
COPY --from=build --chown=65532:65532 /data /data
ENV PONDER_DATA=/data \
    PONDER_ADDR=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
USER 65532:65532
# docker stop sends SIGTERM: requests in flight finish, the index is flushed.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/usr/local/bin/ponder", "healthcheck", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/ponder"]
CMD ["serve"]
