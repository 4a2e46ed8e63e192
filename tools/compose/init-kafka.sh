#!/bin/sh
# One-shot (compose service kafka-init, apache/kafka image): creates flowsentry's topics, idempotently.
# Several partitions per topic so each service scales out by consumer group (BRIEF §3).
set -eu

BOOTSTRAP="${KAFKA_BOOTSTRAP:-kafka:19092}"
PARTITIONS="${FLOWSENTRY_PARTITIONS:-3}"
PREFIX="${FLOWSENTRY_TOPIC_PREFIX:-}"
TOPICS="network.events network.events.dlq raw.landed raw.landed.dlq silver.ready silver.ready.dlq model.trained model.trained.dlq eval.done eval.done.dlq drift.detected drift.detected.dlq champion.changed champion.changed.dlq anomalies.detected"

for topic in $TOPICS; do
  name="$topic"
  [ -n "$PREFIX" ] && name="$PREFIX.$topic"
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$name" --partitions "$PARTITIONS" --replication-factor 1
done
echo "kafka-init: $(echo "$TOPICS" | wc -w) topics ready (partitions $PARTITIONS${PREFIX:+, prefix $PREFIX})"
