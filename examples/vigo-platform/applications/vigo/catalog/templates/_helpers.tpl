{{/*
Name used for every resource of a release. Argo CD passes the Application name
(for example catalog-in-production) as the release name, so resources are
simply named after the release, trimmed to the 63-character DNS label limit.
*/}}
{{- define "catalog.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "catalog.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Image tag: the environment's pinned tag, else the chart appVersion. */}}
{{- define "catalog.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "catalog.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "catalog.labels" -}}
helm.sh/chart: {{ include "catalog.chart" . }}
{{ include "catalog.selectorLabels" . }}
app.kubernetes.io/version: {{ include "catalog.imageTag" . | quote }}
app.kubernetes.io/part-of: vigo
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.environment }}
vigo.example/environment: {{ . }}
{{- end }}
{{- with .Values.venture }}
vigo.example/venture: {{ . }}
{{- end }}
{{- end -}}
