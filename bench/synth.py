"""Synthetic platforms in the reference layout, for benchmarks.

    python bench/synth.py OUT_DIR --services N

writes N services x 2 environments x 2 regions (4N Applications): one Helm chart of seven
templates per service, one ApplicationSet per service over environment x region, value
files per environment and region, `tag.yaml` per environment, AppProjects and an
App-of-Apps root. The output depends only on N, so a folder can be reused between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
from pathlib import Path

REPO_URL = "https://git.example.com/bench/platform.git"
ENVS = (("staging", "stag"), ("production", "prod"))
REGIONS = ("eu", "us")

CHART_TEMPLATES = {
    "_helpers.tpl": """\
{{- define "svc.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
platform.example.com/env: {{ .Values.env }}
platform.example.com/region: {{ .Values.region }}
{{- end -}}
""",
    "deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "svc.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        {{- include "svc.labels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ .Release.Name }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - containerPort: {{ .Values.service.port }}
          envFrom:
            - configMapRef:
                name: {{ .Release.Name }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          readinessProbe:
            httpGet: {path: /healthz, port: {{ .Values.service.port }}}
""",
    "service.yaml": """\
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "svc.labels" . | nindent 4 }}
spec:
  selector:
    app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - port: 80
      targetPort: {{ .Values.service.port }}
""",
    "configmap.yaml": """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
data:
  {{- range $key, $value := .Values.config }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
""",
    "serviceaccount.yaml": """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
""",
    "hpa.yaml": """\
{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ .Release.Name }}}
  minReplicas: {{ .Values.autoscaling.min }}
  maxReplicas: {{ .Values.autoscaling.max }}
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
{{- end }}
""",
    "pdb.yaml": """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
""",
    "ingress.yaml": """\
{{- if .Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  rules:
    - host: {{ .Values.ingress.host }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: {{ .Release.Name }}, port: {number: 80}}
{{- end }}
""",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _service(root: Path, i: int) -> None:
    name = f"svc{i:04d}"
    base = root / "applications/services" / name
    _write(base / "Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n"
                                f"appVersion: \"1.{i % 50}.0\"\n")
    _write(base / "values.yaml", f"""\
replicaCount: 1
image:
  repository: registry.example.com/bench/{name}
  tag: latest
service:
  port: {8000 + i % 1000}
resources:
  requests: {{cpu: 100m, memory: 128Mi}}
  limits: {{cpu: 500m, memory: 256Mi}}
autoscaling: {{enabled: false, min: 2, max: 6}}
ingress: {{enabled: false, host: ""}}
config:
  LOG_LEVEL: info
  SERVICE_NAME: {name}
  FEATURE_CACHE: "true"
""")
    for tpl, text in CHART_TEMPLATES.items():
        _write(base / "templates" / tpl, text)
    elements = "".join(
        f"      - {{env: {env}, short: {short}, region: {region}, "
        f"project: {'stag' if env == 'staging' else region + '-prod'}}}\n"
        for env, short in ENVS for region in REGIONS)
    _write(base / f"{name}-appSet.yaml", f"""\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: {name}
  namespace: argocd
spec:
  generators:
  - list:
      elements:
{elements}  template:
    metadata:
      name: '{name}-{{{{region}}}}-{{{{env}}}}'
    spec:
      project: '{{{{project}}}}'
      destination:
        name: '{{{{project}}}}'
        namespace: '{name}-{{{{region}}}}-{{{{short}}}}'
      source:
        repoURL: {REPO_URL}
        targetRevision: HEAD
        path: applications/services/{name}
        helm:
          valueFiles:
          - '{{{{env}}}}/tag.yaml'
          - '{{{{env}}}}/{{{{region}}}}.values.yaml'
      syncPolicy:
        automated: {{prune: true}}
        syncOptions: [CreateNamespace=true, ApplyOutOfSyncOnly=true]
      revisionHistoryLimit: 3
""")
    for env, _short in ENVS:
        digest = hashlib.sha256(f"{name}{env}".encode()).hexdigest()[:7]
        _write(base / env / "tag.yaml", f"image:\n  tag: \"1.{i % 50}.{len(env)}-{digest}\"\n")
        for region in REGIONS:
            prod = env == "production"
            _write(base / env / f"{region}.values.yaml", f"""\
env: {env}
region: {region}
replicaCount: {3 if prod else 1}
autoscaling: {{enabled: {str(prod and i % 3 == 0).lower()}, min: 3, max: 12}}
ingress:
  enabled: {str(i % 4 == 0).lower()}
  host: {name}.{region}.{'' if prod else 'staging.'}example.com
config:
  REGION: {region}
  DATABASE_HOST: db.{region}.{env}.internal
""")


def generate(root: Path, services: int) -> None:
    _write(root / ".argoplane.yaml", f"""\
repoURLs: [{REPO_URL}]
clusters:
  - {{name: stag, server: https://stag.k8s.example.com}}
  - {{name: eu-prod, server: https://eu-prod.k8s.example.com}}
  - {{name: us-prod, server: https://us-prod.k8s.example.com}}
""")
    for project in ("stag", "eu-prod", "us-prod"):
        _write(root / "argocd-projects" / f"{project}.yaml", f"""\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {{name: {project}, namespace: argocd}}
spec:
  sourceRepos: ['{REPO_URL}']
  destinations: [{{name: {project}, namespace: '*'}}]
  clusterResourceWhitelist: [{{group: '', kind: Namespace}}]
""")
    _write(root / "central-releases.yaml", f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: central-releases, namespace: argocd}}
spec:
  project: default
  destination: {{server: https://kubernetes.default.svc, namespace: argocd}}
  source:
    repoURL: {REPO_URL}
    targetRevision: HEAD
    path: applications/services
    directory: {{recurse: true, include: '*-appSet.yaml'}}
  syncPolicy: {{automated: {{}}}}
""")
    for i in range(services):
        _service(root, i)


def ensure(root: Path, services: int) -> Path:
    """The platform of that size at `root`, generated once and reused afterwards."""
    marker = root / ".bench-services"
    if marker.is_file() and marker.read_text() == str(services):
        return root
    if root.exists():
        shutil.rmtree(root)
    tmp = root.with_name(root.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    generate(tmp, services)
    (tmp / ".bench-services").write_text(str(services))
    os.replace(tmp, root)
    return root


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--services", type=int, default=16)
    args = parser.parse_args(argv)
    ensure(args.out, args.services)
    print(f"{args.out}: {args.services} services, {args.services * 4} Applications")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
