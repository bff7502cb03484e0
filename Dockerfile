# lint-pr: the GitHub App server (`lint-pr serve`) in a small non-root image.
#
#   docker build -t lint-pr .        (or, with no daemon: buildah bud -t lint-pr .)
#   docker run -p 3000:3000 -v lint-pr-data:/data \
#     -e LINT_PR_APP_ID=... -e LINT_PR_WEBHOOK_SECRET=... -e LINT_PR_PRIVATE_KEY="$(cat key.pem)" lint-pr
#
# tests/it/packaging.rs checks this file against the real binary: build command,
# user, port (the default --listen) and health check.

# --- build ---------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# --locked: exactly the dependency versions of Cargo.lock, as CI tested them.
RUN cargo build --release --locked && cp target/release/lint-pr /lint-pr

# --- runtime -------------------------------------------------------------
FROM debian:bookworm-slim
# CA certificates: the GitHub API is HTTPS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin lint-pr \
 && mkdir -p /data && chown lint-pr /data
COPY --from=build /lint-pr /usr/local/bin/lint-pr
USER 10001
# The SQLite queue lives on a volume, so a restart (or a new container) loses no delivery.
VOLUME /data
ENV LINT_PR_LISTEN=0.0.0.0:3000 \
    LINT_PR_DATABASE_URL=sqlite:///data/lint-pr.db \
    LINT_PR_LOG_FORMAT=json
EXPOSE 3000
# No curl in the image: bash's /dev/tcp asks GET /healthz and needs a 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/3000 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["lint-pr"]
CMD ["serve"]
