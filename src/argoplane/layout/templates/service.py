"""A service's own files: Chart.yaml, values.yaml, .helmignore, and per environment
`tag.yaml`, `<region>.values.yaml` and the `<region>.secrets.yaml` placeholder."""

from __future__ import annotations

from argoplane.layout.inventory import Platform, Service, Target
from argoplane.layout.yamltext import block, scalar

SECRETS_PLACEHOLDER_MARK = "ARGOPLANE PLACEHOLDER"


def chart_yaml(platform: Platform, svc: Service) -> str:
    return (
        "apiVersion: v2\n"
        f"name: {svc.name}\n"
        f"description: {scalar(f'{svc.name} service of the {platform.name} platform')}\n"
        "type: application\n"
        "version: 0.1.0\n"
        f"appVersion: {_quoted(svc.tag)}\n"
    )


def _quoted(text: str) -> str:
    return '"' + text + '"'


def values_yaml(svc: Service) -> str:
    return f"""\
# Base values for {svc.name}. Argo CD layers the environment files on top, in order:
#   <env>/tag.yaml               -> image.tag for every region of the environment
#   <env>/<region>.values.yaml   -> sizing, hosts and settings of one region
#   <env>/<region>.secrets.yaml  -> `secrets` (SOPS-encrypted, read as secrets://)
# This file alone renders a small local setup.

# Set by the environment files; shown in labels and as APP_ENV / REGION.
environment: ""
region: ""
partOf: {scalar(svc.group)}

replicaCount: 1

image:
  repository: {scalar(svc.image)}
  # Empty means the chart's appVersion; environments pin it in <env>/tag.yaml.
  tag: ""
  pullPolicy: IfNotPresent

imagePullSecrets: []

serviceAccount:
  create: true
  name: ""

service:
  type: ClusterIP
  port: 80
  targetPort: {svc.port}

probes:
  readinessPath: /healthz/ready
  livenessPath: /healthz/live

resources:
  requests:
    cpu: 100m
    memory: 128Mi
  limits:
    cpu: 500m
    memory: 256Mi

# Non-secret settings, exported to the container through a ConfigMap.
env:
  LOG_LEVEL: info

podAnnotations: {{}}
nodeSelector: {{}}
tolerations: []

ingress:
  enabled: false
  className: nginx
  # Required when the ingress is enabled.
  host: ""
  annotations: {{}}
  tls:
    enabled: false
    secretName: ""

autoscaling:
  enabled: false
  minReplicas: 2
  maxReplicas: 6
  targetCPUUtilizationPercentage: 70

# Secret environment variables, from <env>/<region>.secrets.yaml. The Secret is rendered
# only when this map is not empty.
secrets: {{}}
"""


HELMIGNORE_HEADER = """\
# Files Argo CD reads next to the chart that are not part of the chart itself.
"""


def helmignore_lines(platform: Platform) -> list[str]:
    return ["*-appSet.yaml", "*-app.yaml", "README.md",
            *(f"{env.name}/" for env in platform.environments)]


def tag_yaml(svc: Service, env: str, tag: str | None = None) -> str:
    return (
        f"# Image tag of {svc.name} in every {env} region. Change it with\n"
        f"# `argoplane set-image {svc.name} TAG --env {env}` or `argoplane promote`.\n"
        "image:\n"
        f"  tag: {scalar(svc.tag if tag is None else tag)}\n"
    )


def host(platform: Platform, svc: Service, target: Target) -> str:
    if target.production:
        return f"{svc.name}.{target.region}.{platform.domain}"
    return f"{svc.name}.{target.region}.{target.env}.{platform.domain}"


def region_values(platform: Platform, svc: Service, target: Target) -> str:
    prod = target.production
    values: dict[str, object] = {
        "replicaCount": 2 if prod else 1,
    }
    resources = {
        "requests": {"cpu": "250m" if prod else "50m", "memory": "256Mi" if prod else "128Mi"},
        "limits": {"cpu": "1" if prod else "250m", "memory": "512Mi" if prod else "256Mi"},
    }
    parts = [
        f"# {svc.name} / {target.env} / {target.region}  (project {target.project}, cluster "
        f"{target.cluster}, namespace {svc.name}-{target.namespace_suffix})\n"
        f"environment: {scalar(target.env)}\nregion: {scalar(target.region)}\n",
        block(values),
        block({"resources": resources}),
        block({"env": {"LOG_LEVEL": "info" if prod else "debug"}}),
    ]
    if svc.ingress:
        parts.append(block({"ingress": {
            "enabled": True,
            "host": host(platform, svc, target),
            "tls": {"enabled": prod},
        }}))
    if svc.autoscaling and prod:
        parts.append(block({"autoscaling": {"enabled": True, "minReplicas": 2,
                                            "maxReplicas": 6}}))
    return "\n".join(parts)


def secrets_placeholder(svc: Service, target: Target) -> str:
    return (
        f"# {svc.name} / {target.env} / {target.region} secrets, read by Argo CD as\n"
        f"# secrets://{target.env}/{target.region}.secrets.yaml.\n"
        f"# {SECRETS_PLACEHOLDER_MARK}, not encrypted: put the secret environment variables of\n"
        "# this region under `secrets:` and encrypt the file with SOPS (docs/platform.md).\n"
        "# `argoplane lint` reports it as a plaintext secret (AP009) until then.\n"
        "secrets:\n"
        "  PLACEHOLDER: replace-me\n"
    )
