"""Words that name environments, regions and infrastructure, and how to find them in names."""

from __future__ import annotations

import re
from collections.abc import Iterable

# environment spellings -> the canonical environment name
ENV_ALIASES: dict[str, str] = {
    "dev": "dev", "develop": "dev", "development": "dev",
    "test": "test", "testing": "test", "qa": "qa", "uat": "uat",
    "int": "integration", "integration": "integration", "sandbox": "sandbox",
    "stag": "staging", "stg": "staging", "stage": "staging", "staging": "staging",
    "preprod": "preprod", "preproduction": "preprod",
    "prod": "production", "prd": "production", "production": "production",
}
# generator parameter keys that carry an environment or a region
ENV_KEYS = frozenset({"env", "environment", "stage", "envname", "environmentname"})
REGION_KEYS = frozenset({"region", "venture", "country", "geo", "location", "zone", "market",
                         "site", "datacenter", "dc", "cell", "cloudregion"})
REGION_LABELS = ("region", "topology.kubernetes.io/region")
ENV_LABELS = ("env", "environment")
# words in value-file names that are not a region
GENERIC_FILE_WORDS = frozenset({
    "values", "value", "tag", "tags", "image", "images", "secrets", "secret", "common", "base",
    "default", "defaults", "global", "override", "overrides", "config", "local", "shared",
    "yaml", "yml", "json", "enc", "sops", "sealed",
})
# folders that hold a service's deployment files rather than name the service
GENERIC_FOLDERS = frozenset({"chart", "charts", "helm", "deploy", "deployment", "k8s",
                             "kubernetes", "manifests", "base", "overlays", "overlay", "envs",
                             "environments", "kustomize"})
# folders whose Applications are infrastructure
INFRA_FOLDERS = frozenset({"thirdparty", "thirdparties", "third-party", "third-parties", "infra",
                           "infrastructure", "addons", "add-ons", "cluster-addons", "system",
                           "platform-services"})
# well-known infrastructure software, matched against an Application's name or folder
INFRA_NAMES = frozenset({
    "redis", "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongo", "consul",
    "elasticsearch", "opensearch", "kibana", "kafka", "zookeeper", "rabbitmq", "nats",
    "memcached", "minio", "vault", "etcd", "cassandra", "clickhouse", "ingress-nginx",
    "nginx-ingress", "traefik", "cert-manager", "external-dns", "sealed-secrets",
    "external-secrets", "prometheus", "grafana", "loki", "tempo", "jaeger", "fluentd",
    "fluent-bit", "promtail", "alertmanager", "kube-prometheus-stack", "metrics-server",
    "cluster-autoscaler", "keda", "istio", "linkerd", "argo-cd", "argocd", "argo-rollouts",
    "velero", "gitlab-runner", "sonarqube", "harbor", "keycloak", "monitoring", "logging",
})

_SPLIT = re.compile(r"[^a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case words of a name: `catalog-in-prod` -> [catalog, in, prod]."""
    return [t for t in _SPLIT.split(text.lower()) if t]


def key_word(key: str) -> str:
    """A parameter key reduced to letters: `namespace_suffix` -> `namespacesuffix`."""
    return re.sub(r"[^a-z]", "", key.lower().rsplit(".", 1)[-1])


def env_of(word: str) -> str | None:
    return ENV_ALIASES.get(word.lower())


def envs_in(words: Iterable[str]) -> set[str]:
    return {e for w in words if (e := env_of(w)) is not None}


def is_infra_name(name: str) -> bool:
    lowered = name.lower()
    return any(lowered == n or lowered.startswith(n + "-") for n in INFRA_NAMES)


def file_words(filename: str) -> list[str]:
    """The words of a value file's name without its extension: `in.values.yaml` -> [in, values]."""
    stem = filename
    for ext in (".yaml", ".yml", ".json"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
    return tokens(stem)
