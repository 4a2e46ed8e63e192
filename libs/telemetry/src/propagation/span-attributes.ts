/** flowsentry's own span attributes: a run, its dataset and the model version it touches (BRIEF §9). */
export const ATTR_RUN_ID = 'flowsentry.run_id';
export const ATTR_DATASET_ID = 'flowsentry.dataset_id';
export const ATTR_MODEL_VERSION = 'flowsentry.model_version';

// Messaging semantic conventions are still incubating upstream, whose guidance is to copy the
// names rather than import the unstable entry point.
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';

export const MESSAGING_SYSTEM_KAFKA = 'kafka';
export const MESSAGING_OPERATION_PROCESS = 'process';
export const MESSAGING_OPERATION_SEND = 'send';
