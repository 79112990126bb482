# The gateway as a container image:
#   docker build -t gateway .
#   docker run --rm -p 8080:8080 -p 127.0.0.1:9901:9901 gateway
# Configuration: /etc/gateway/app_config.toml (mount your own directory there; see docs/operations.md,
# "Docker"). JVM options: config/jvm.options, read by bin/gateway; extra ones with
# -e JAVA_OPTS="-Xmx256m ..." (appended, so they win).

# ---- build stage: the fat jar (base images pinned by tag; bump deliberately) ----
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src

# Dependency layer: only the poms, so source edits do not download the world again.
# go-offline leaves the reactor's own modules out; a full offline package works after it.
COPY pom.xml ./
COPY gateway-testkit/pom.xml gateway-testkit/
COPY gateway-config/pom.xml gateway-config/
COPY gateway-balancer/pom.xml gateway-balancer/
COPY gateway-proxy/pom.xml gateway-proxy/
COPY gateway-static/pom.xml gateway-static/
COPY gateway-core/pom.xml gateway-core/
RUN mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline

COPY gateway-testkit/src gateway-testkit/src
COPY gateway-config/src gateway-config/src
COPY gateway-balancer/src gateway-balancer/src
COPY gateway-proxy/src gateway-proxy/src
COPY gateway-static/src gateway-static/src
COPY gateway-core/src gateway-core/src
# Tests run in CI (mvn -B verify), not in the image build.
RUN mvn -B -q -ntp package -Dmaven.test.skip=true

# ---- runtime stage: JRE + jar + config + demo site ----
FROM eclipse-temurin:17.0.19_10-jre-noble

# A fixed numeric id, so `runAsNonRoot` checks (Kubernetes) can see the image is not root.
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin gateway

COPY --from=build /src/gateway-core/target/gateway.jar /opt/gateway/lib/gateway.jar
COPY bin/gateway /opt/gateway/bin/gateway
COPY config/jvm.options /opt/gateway/config/jvm.options
COPY public/ /opt/gateway/public/
COPY scripts/docker/app_config.toml /etc/gateway/app_config.toml

# AppCDS archive from a training run with this image's own JVM (an archive only fits the JVM that
# made it): about a third off the start-up time. Optional: without it the gateway starts anyway.
COPY scripts/cds-archive.sh /tmp/cds-archive.sh
RUN bash /tmp/cds-archive.sh /opt/gateway/lib/gateway.jar /opt/gateway/lib/gateway.jsa \
      || echo "no AppCDS archive: the gateway will start without it"; rm -f /tmp/cds-archive.sh

USER 10001:10001
WORKDIR /opt/gateway
# Main listener, admin listener (/health, /ready; binds 0.0.0.0 in the shipped Docker config).
EXPOSE 8080 9901

ENV JAVA_OPTS=""

# No curl or wget needed: bash (part of the Ubuntu base) speaks HTTP over /dev/tcp. The check runs
# inside the container, so it reaches the admin listener on loopback however that is published.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9901 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == *' 200 '* ]]"]

# bin/gateway execs java, so java is PID 1 and receives SIGTERM from `docker stop` directly
# (graceful drain, exit 0). Arguments after the image name are appended: `docker run gateway
# --check` validates the mounted config.
ENTRYPOINT ["/opt/gateway/bin/gateway", "--config", "/etc/gateway/app_config.toml"]
