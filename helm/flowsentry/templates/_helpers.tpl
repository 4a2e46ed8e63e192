{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "flowsentry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped prefix of every object's name. */}}
{{- define "flowsentry.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one service's objects: <fullname>-<service>. Call with (dict "root" $ "name" $name). */}}
{{- define "flowsentry.serviceFullname" -}}
{{- printf "%s-%s" (include "flowsentry.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "flowsentry.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "flowsentry.labels" -}}
app.kubernetes.io/name: {{ include "flowsentry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ include "flowsentry.releaseLabels" . }}
{{- end }}

{{/* Labels beside name/instance, for pod templates whose selector labels already carry those two. */}}
{{- define "flowsentry.releaseLabels" -}}
helm.sh/chart: {{ include "flowsentry.chart" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flowsentry
{{- end }}

{{/* Selector of one service's pods. Call with (dict "root" $ "name" $name). */}}
{{- define "flowsentry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flowsentry.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Image of one service: services.<name>.image overrides, else <image.repository>/<name>:<tag>. */}}
{{- define "flowsentry.image" -}}
{{- $svc := index .root.Values.services .name | default dict }}
{{- $own := $svc.image | default dict }}
{{- $repo := $own.repository | default (printf "%s/%s" .root.Values.image.repository .name) }}
{{- $tag := $own.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}

{{- define "flowsentry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flowsentry.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Non-secret environment shared by every service: where the external infrastructure is. */}}
{{- define "flowsentry.infraEnv" -}}
KAFKA_BROKERS: {{ required "kafka.brokers is required" .Values.kafka.brokers | quote }}
FLOWSENTRY_TOPIC_PREFIX: {{ .Values.kafka.topicPrefix | quote }}
MINIO_ENDPOINT: {{ required "minio.endpoint is required" .Values.minio.endpoint | quote }}
MINIO_REGION: {{ .Values.minio.region | default "us-east-1" | quote }}
FLOWSENTRY_BUCKET_PREFIX: {{ .Values.minio.bucketPrefix | quote }}
PGHOST: {{ required "postgres.host is required" .Values.postgres.host | quote }}
PGPORT: {{ .Values.postgres.port | quote }}
PGDATABASE: {{ .Values.postgres.database | quote }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ .Values.otlp.endpoint | quote }}
LOG_LEVEL: {{ .Values.logLevel | quote }}
{{- end }}

{{- define "flowsentry.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "flowsentry.containerSecurityContext" -}}
{{- toYaml .Values.securityContext }}
{{- end }}

{{/* One service's non-secret environment (its ConfigMap's data). Call with (dict "root" $ "name" $name). */}}
{{- define "flowsentry.serviceEnv" -}}
{{- $root := .root }}
{{- $svc := index $root.Values.services .name }}
{{- include "flowsentry.infraEnv" $root }}
HOST: "0.0.0.0"
PORT: {{ $svc.port | quote }}
PGUSER: {{ required (printf "services.%s.pgUser is required" .name) $svc.pgUser | quote }}
PGPASSWORD_FILE: {{ printf "%s/PGPASSWORD" $root.Values.secretMountPath | quote }}
MINIO_ACCESS_KEY_FILE: {{ printf "%s/MINIO_ACCESS_KEY" $root.Values.secretMountPath | quote }}
MINIO_SECRET_KEY_FILE: {{ printf "%s/MINIO_SECRET_KEY" $root.Values.secretMountPath | quote }}
{{- range $extra := $svc.extraSecrets }}
{{- if include "flowsentry.extraSecretInUse" $extra }}
{{- range $key := $extra.keys }}
{{ $key }}_FILE: {{ printf "%s/%s" (include "flowsentry.extraSecretPath" (dict "root" $root "extra" $extra)) $key | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- range $key, $value := $svc.env }}
{{- if regexMatch "(PASSWORD|SECRET_KEY|ACCESS_KEY|TOKEN|WEBHOOK_URL)$" $key }}
{{- fail (printf "services.%s.env.%s: credentials belong in the existingSecret, not in values" $.name $key) }}
{{- end }}
{{ $key }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* Where one of a service's extraSecrets is mounted. Call with (dict "root" $ "extra" $extra). */}}
{{- define "flowsentry.extraSecretPath" -}}
{{- printf "%s-%s" .root.Values.secretMountPath (required "every extraSecrets entry needs a name" .extra.name) }}
{{- end }}

{{/*
Whether one of a service's extraSecrets is mounted: always, unless it is `optional: true` and names no
Secret (the monitor's alert webhook: without one, alerts are only logged). Non-empty means yes.
*/}}
{{- define "flowsentry.extraSecretInUse" -}}
{{- if or .existingSecret (not .optional) }}true{{ end }}
{{- end }}
