# syntax=docker/dockerfile:1
#
# Mailcast image: one image, two entry points.
#
#   docker build -t mailcast .                          # default target "node"
#   docker build -t mailcast-coordinator --target coordinator .
#
# The node is the default ENTRYPOINT. The coordinator CLI is in the same image:
#   docker run --rm --entrypoint java mailcast -jar /opt/mailcast/mailcast-coordinator.jar status --members node1:5701
# or build the "coordinator" target, whose ENTRYPOINT is the CLI:
#   docker run --rm mailcast-coordinator submit --help
#
# Every node flag has a MAILCAST_* environment variable (see docker-compose.yml and k8s/).

############################ build ############################
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src

# Wrapper and poms first so the dependency download is cached across source edits.
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY shared/ shared/
COPY node/ node/
COPY coordinator/ coordinator/
# The lab is not in the image; its poms (and the fixtures the adapters' tests use) are part of the reactor.
COPY lab/ lab/

RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -B -q -DskipTests package -pl node,coordinator -am \
 && mkdir -p /out \
 && cp node/target/mailcast-node.jar coordinator/target/mailcast-coordinator.jar /out/

############################ runtime ############################
FROM eclipse-temurin:25-jre AS runtime

# curl is used by the container health checks (GET /health/ready).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 mailcast \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/mailcast --no-create-home --shell /usr/sbin/nologin mailcast \
 && mkdir -p /opt/mailcast

COPY --from=build --chown=root:root /out/mailcast-node.jar /out/mailcast-coordinator.jar /opt/mailcast/

# Bounds the Hazelcast graceful leave (partition hand-off) after the node's own drain
# (MAILCAST_SHUTDOWN_GRACE_SECONDS). Docker's stop timeout / Kubernetes'
# terminationGracePeriodSeconds must exceed drain + this wait. Override the whole variable to change it.
ENV JAVA_TOOL_OPTIONS="-Dhazelcast.graceful.shutdown.max.wait=15"

USER 10001:10001
WORKDIR /opt/mailcast

# Both entry points: the heap is 75 % of the container's memory limit, and an OutOfMemoryError ends the JVM
# instead of leaving a half-working member in the cluster; the restart policy (or Kubernetes) starts a fresh one,
# and the cluster reclaims the dead member's chunks.

############################ coordinator ############################
FROM runtime AS coordinator
HEALTHCHECK NONE
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/mailcast/mailcast-coordinator.jar"]
CMD ["--help"]

############################ node (default) ############################
FROM runtime AS node
# 5701: Hazelcast member protocol; 8080: /health/live, /health/ready, /metrics
EXPOSE 5701 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${MAILCAST_HTTP_PORT:-8080}/health/ready" > /dev/null || exit 1
# Exec form: java is PID 1 and receives SIGTERM directly (docker stop / pod deletion),
# so the node's drain and Hazelcast's GRACEFUL shutdown hook both run.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Dhazelcast.shutdownhook.policy=GRACEFUL", "-jar", "/opt/mailcast/mailcast-node.jar"]
