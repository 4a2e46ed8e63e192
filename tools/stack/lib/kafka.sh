# shellcheck shell=bash
# Apache Kafka, one KRaft node acting as broker and controller, run from the Maven artifacts on a plain classpath.

KAFKA_VERSION=4.1.2
KAFKA_LOG4J_VERSION=2.24.3   # Kafka 4.x logs through slf4j 1.7; log4j-slf4j-impl binds it to log4j-core
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
KAFKA_LIBS="$CACHE/kafka-libs-$KAFKA_VERSION"
KAFKA_CONF="$CONF_DIR/kafka"
KAFKA_DATA="$DATA_DIR/kafka"
KAFKA_TOOLS_LOG4J="$STACK_DIR/lib/kafka-tools-log4j2.xml"
KAFKA_TOPICS=(network.events network.events.dlq raw.landed raw.landed.dlq silver.ready silver.ready.dlq model.trained model.trained.dlq eval.done eval.done.dlq drift.detected drift.detected.dlq champion.changed champion.changed.dlq anomalies.detected)

kafka_topic_name() { if [[ -n $TOPIC_PREFIX ]]; then printf '%s.%s' "$TOPIC_PREFIX" "$1"; else printf '%s' "$1"; fi; }

kafka_libs_present() {
  [[ -f $KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar && -f $KAFKA_LIBS/kafka-tools-$KAFKA_VERSION.jar &&
    -f $KAFKA_LIBS/log4j-core-$KAFKA_LOG4J_VERSION.jar && -f $KAFKA_LIBS/log4j-slf4j-impl-$KAFKA_LOG4J_VERSION.jar ]]
}

kafka_write_pom() {
  mkdir -p "$BUILD_DIR/kafka"
  cat >"$BUILD_DIR/kafka/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.flowsentry.stack</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$KAFKA_LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$KAFKA_LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
}

kafka_install() {
  need_cmd java openjdk-17-jre-headless
  kafka_libs_present && return 0
  need_cmd mvn maven
  kafka_write_pom
  rm -rf "$KAFKA_LIBS.tmp"
  run_step "resolving Kafka $KAFKA_VERSION jars with Maven" "$BUILD_DIR/kafka.log" \
    mvn -B -q -f "$BUILD_DIR/kafka/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS.tmp" -DincludeScope=runtime
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
  kafka_libs_present || die "Maven finished but $KAFKA_LIBS lacks the Kafka jars — see $BUILD_DIR/kafka.log"
}

# JVM flags for short-lived CLI runs: start fast, stay small.
KAFKA_TOOL_JVM=(-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Djava.awt.headless=true)

kafka_write_config() {
  mkdir -p "$KAFKA_CONF" "$KAFKA_DATA"
  cat >"$KAFKA_CONF/server.properties" <<EOF
# Written by tools/stack on every 'up'; edit tools/stack/lib/kafka.sh instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=$PARTITIONS
# Topics are the pipeline's contract: a typo in a service must fail, not create a new topic.
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
EOF
  cat >"$KAFKA_CONF/log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="stdout" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="stdout"/></Root>
  </Loggers>
</Configuration>
EOF
}

kafka_format_storage() {
  [[ -f $KAFKA_DATA/meta.properties ]] && return 0
  local cluster_id
  if [[ ! -s $KAFKA_CONF/cluster.id ]]; then
    java "${KAFKA_TOOL_JVM[@]}" -Dlog4j2.configurationFile="$KAFKA_TOOLS_LOG4J" -cp "$KAFKA_LIBS/*" \
      kafka.tools.StorageTool random-uuid >"$KAFKA_CONF/cluster.id" 2>>"$LOG_DIR/kafka.log" ||
      die "Kafka StorageTool random-uuid failed — see $LOG_DIR/kafka.log"
  fi
  cluster_id="$(tr -d '[:space:]' <"$KAFKA_CONF/cluster.id")"
  log "kafka: formatting KRaft storage (cluster id $cluster_id)"
  java "${KAFKA_TOOL_JVM[@]}" -Dlog4j2.configurationFile="$KAFKA_TOOLS_LOG4J" -cp "$KAFKA_LIBS/*" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF/server.properties" -g >>"$LOG_DIR/kafka.log" 2>&1 ||
    die "formatting Kafka storage failed — see $LOG_DIR/kafka.log"
}

# kafka_tool <main class> <args...>: Kafka's own CLI from the same jars as the broker.
kafka_tool() {
  local main=$1
  shift
  kafka_libs_present || die "Kafka jars not found in $KAFKA_LIBS; run 'tools/stack/stack.sh up' first"
  java "${KAFKA_TOOL_JVM[@]}" -Dlog4j2.configurationFile="$KAFKA_TOOLS_LOG4J" -cp "$KAFKA_LIBS/*" "$main" "$@"
}

kafka_answers() { port_open "$KAFKA_PORT" && kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --list >/dev/null 2>&1; }

kafka_create_topics() {
  local wanted="$TOPIC_PREFIX|$PARTITIONS|${KAFKA_TOPICS[*]}" existing topic name created=0
  existing="$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --list 2>>"$LOG_DIR/kafka.log")" ||
    die "listing Kafka topics failed — see $LOG_DIR/kafka.log"
  for topic in "${KAFKA_TOPICS[@]}"; do
    name="$(kafka_topic_name "$topic")"
    grep -qxF "$name" <<<"$existing" && continue
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists \
      --topic "$name" --partitions "$PARTITIONS" --replication-factor 1 >>"$LOG_DIR/kafka.log" 2>&1 ||
      die "creating Kafka topic $name failed — see $LOG_DIR/kafka.log"
    created=$((created + 1))
  done
  write_stamp kafka-topics "$wanted"
  log "kafka: topics ready (${#KAFKA_TOPICS[@]} topics, $created created, $PARTITIONS partitions${TOPIC_PREFIX:+, prefix $TOPIC_PREFIX})"
}

kafka_up() {
  local pid
  if pid="$(running_pid kafka)"; then
    # Ours but not answering yet (still starting): wait for it rather than start a second broker on the same data.
    wait_ready kafka "Kafka (pid $pid)" 120 port_open "$KAFKA_PORT"
    if stamp_matches kafka-topics "$TOPIC_PREFIX|$PARTITIONS|${KAFKA_TOPICS[*]}"; then
      log "kafka: already running (pid $pid)"
      return 0
    fi
    kafka_create_topics
    return 0
  fi
  kafka_install
  ensure_ports_free Kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  kafka_write_config
  kafka_format_storage
  log "kafka: starting $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT"
  start_daemon kafka "$LOG_DIR/kafka.log" java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_CONF/log4j2.xml" -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF/server.properties"
  wait_ready kafka "Kafka" 120 port_open "$KAFKA_PORT"
  wait_ready kafka "Kafka" 120 kafka_answers
  log "kafka: up (pid $(running_pid kafka))"
  kafka_create_topics
}

kafka_down() { stop_daemon kafka kafka TERM; }

kafka_status() { status_line kafka kafka "$KAFKA_PORT,$KAFKA_CONTROLLER_PORT" port_open "$KAFKA_PORT"; }
