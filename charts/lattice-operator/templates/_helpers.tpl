{{/* The chart name, shortened to fit label values. */}}
{{- define "lattice-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's object name prefix. */}}
{{- define "lattice-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "lattice-operator.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "lattice-operator.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object of the chart carries. */}}
{{- define "lattice-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "lattice-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lattice
{{- end -}}

{{/* Labels that select the operator pods. */}}
{{- define "lattice-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lattice-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "lattice-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lattice-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* "true" when leader election is on: explicitly, or by default with more than one replica. */}}
{{- define "lattice-operator.leaderElection" -}}
{{- if kindIs "bool" .Values.leaderElection.enabled -}}
{{- .Values.leaderElection.enabled -}}
{{- else -}}
{{- gt (int .Values.replicas) 1 -}}
{{- end -}}
{{- end -}}

{{- define "lattice-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
The operator's API permissions on one namespace's objects (or every namespace's, in a ClusterRole).
A test compares these rules with the set the operator's code needs (LatticeOperator.requiredPermissions):
change both together.
*/}}
{{- define "lattice-operator.rules" -}}
- apiGroups: ["lattice.diotec360.com"]
  resources: ["latticenodes"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["lattice.diotec360.com"]
  resources: ["latticenodes/status"]
  verbs: ["update"]
# Lattices: the operator makes one for a LatticeNode that names none, holds it with a finalizer
# while members remain (patch), and removes one it made with its last member.
- apiGroups: ["lattice.diotec360.com"]
  resources: ["lattices"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["lattice.diotec360.com"]
  resources: ["lattices/status"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["list", "watch", "create", "update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "update"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["get", "create", "update"]
{{- end -}}
