# Grafana with the KQL Anomaly Hunting plugin built from this checkout: `docker compose up --build`
# (docs/run-anywhere.md). The host needs only Docker: the frontend and the backend are built in the
# first two stages with the same commands as the project's test command (scripts/test.sh), so the
# image ships what the tests test. pkg/integration/dockerbuild fails when this file drifts from the
# repository (a path it copies, a build command, the plugin id, the provisioning paths).

# Grafana 12.4 or later: the plugin needs 12.3 (plugin.json) and this file relies on 12.4's
# [plugins] forward_host_env_vars (docker-compose.yaml).
ARG GRAFANA_VERSION=12.4.10

# The frontend: the test command's `npm ci` and `npm run build` (webpack into dist/). It runs on
# the build machine's own platform: its output is JavaScript, the same on every platform.
FROM --platform=$BUILDPLATFORM node:20.20.2-bookworm-slim AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY .config/ .config/
COPY src/ src/
COPY plugin.json tsconfig.json LICENSE CHANGELOG.md ./
RUN npm run build

# The backend: the test command's `go run mage.go -v build:linux`, or the target for the image's
# architecture, cross-compiled on the build machine (CGO off, so any target builds anywhere).
FROM --platform=$BUILDPLATFORM golang:1.26.8-bookworm AS backend
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY Magefile.go mage.go plugin.json package.json ./
COPY pkg/ pkg/
RUN case "${TARGETARCH:-amd64}" in \
      amd64) go run mage.go -v build:linux ;; \
      arm64) go run mage.go -v build:linuxARM64 ;; \
      arm) go run mage.go -v build:linuxARM ;; \
      *) echo "Grafana has no plugin build for linux/${TARGETARCH}" >&2; exit 1 ;; \
    esac

# Grafana, with the plugin where it looks for plugins and the repository's provisioning (the demo
# and Sentinel datasources, the hunting dashboard, the alert rules).
FROM grafana/grafana:${GRAFANA_VERSION}
COPY --from=frontend /src/dist/ /var/lib/grafana/plugins/kqlhunt-anomaly-datasource/
COPY --from=backend /src/dist/gpx_kqlhunt_linux_* /var/lib/grafana/plugins/kqlhunt-anomaly-datasource/
COPY provisioning/ /etc/grafana/provisioning/
# The plugin is not signed by Grafana Labs: allow this one by id, and nothing else.
ENV GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=kqlhunt-anomaly-datasource
