export * from './alert';
export { alertSettingsShape, type AlertSettings } from './alert-settings';
export { alertMessage, alertText, type AlertMessage } from './alert-message';
export { alertMetrics, type AlertOutcome } from './alert-metrics';
export { WebhookAlertSink, type WebhookAlertSinkOptions } from './webhook-alert-sink';
export { StepFailureWatcher, pipelineDeadLetterTopics, type StepFailureWatcherOptions } from './step-failure-watcher';
export { stepFailureAlert, stepFailureKey } from './step-failure-digest';
export { AlertsModule, type AlertsModuleSettings } from './alerts.module';
