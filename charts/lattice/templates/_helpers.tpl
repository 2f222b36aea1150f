{{- define "lattice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ .Values.lattice }}
lattice.diotec360.com/lattice: {{ .Values.lattice }}
{{- end -}}

{{/* A node's spec: the defaults, overridden by the node's own fields; empty strings dropped. */}}
{{- define "lattice.nodeSpec" -}}
{{- $node := .node -}}
{{- $spec := mergeOverwrite (deepCopy .defaults) (omit $node "name") -}}
{{- $_ := set $spec "lattice" .lattice -}}
{{- range $key, $value := $spec -}}
{{- if and (kindIs "string" $value) (empty $value) -}}
{{- $_ := unset $spec $key -}}
{{- end -}}
{{- end -}}
{{- toYaml $spec -}}
{{- end -}}
