{{/*
Name used for every resource of a release. Argo CD passes the Application name
(for example gateway-in-production) as the release name, so resources are
simply named after the release, trimmed to the 63-character DNS label limit.
*/}}
{{- define "gateway.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Image tag: the environment's pinned tag, else the chart appVersion. */}}
{{- define "gateway.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gateway.labels" -}}
helm.sh/chart: {{ include "gateway.chart" . }}
{{ include "gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ include "gateway.imageTag" . | quote }}
app.kubernetes.io/part-of: vigo
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.environment }}
vigo.example/environment: {{ . }}
{{- end }}
{{- with .Values.venture }}
vigo.example/venture: {{ . }}
{{- end }}
{{- end -}}
