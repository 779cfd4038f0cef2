"""Argo CD's own kinds as structural schemas: Application, ApplicationSet, AppProject.

Written from Argo CD's API reference (the `argoproj.io/v1alpha1` types: ApplicationSpec,
ApplicationSetSpec and its generators, AppProjectSpec). A field that is not optional in
the API is required here; `status` and `operation` are accepted as any object, since
they are written by Argo CD and not by people.
"""

from __future__ import annotations

from argoplane.checks.schema.nodes import (
    Anything,
    Bool,
    Int,
    IntOrStr,
    ListOf,
    MapOf,
    Node,
    Obj,
    Str,
    obj,
)

S, N, B = Str(), Int(), Bool()  # string, number (integer), boolean
STRINGS = ListOf(S)
STRING_MAP = MapOf(S)
ANY_OBJECT = Obj(open=True)
DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"

# -- metadata -----------------------------------------------------------------------------
OWNER_REFERENCE = obj(("apiVersion", "kind", "name", "uid"), apiVersion=S, kind=S, name=S,
                      uid=S, controller=B, blockOwnerDeletion=B)
OBJECT_META = obj(
    ("name",),
    name=Str(pattern=DNS_SUBDOMAIN, max_length=253), generateName=S, namespace=S,
    labels=STRING_MAP, annotations=STRING_MAP, finalizers=STRINGS,
    ownerReferences=ListOf(OWNER_REFERENCE), uid=S, resourceVersion=S, generation=N,
    creationTimestamp=Anything(), deletionTimestamp=Anything(),
    deletionGracePeriodSeconds=N, managedFields=ListOf(ANY_OBJECT), selfLink=S,
)
LABEL_SELECTOR = obj(
    matchLabels=STRING_MAP,
    matchExpressions=ListOf(obj(("key", "operator"), key=S, operator=S, values=STRINGS)),
)
GROUP_KIND = obj(("group", "kind"), group=S, kind=S)

# -- Application --------------------------------------------------------------------------
HELM = obj(
    valueFiles=STRINGS,
    parameters=ListOf(obj(name=S, value=S, forceString=B)),
    releaseName=S, values=S,
    fileParameters=ListOf(obj(name=S, path=S)),
    version=S, passCredentials=B, ignoreMissingValueFiles=B, skipCrds=B,
    valuesObject=ANY_OBJECT, namespace=S, kubeVersion=S, apiVersions=STRINGS, skipTests=B,
    skipSchemaValidation=B,
)
KUSTOMIZE = obj(
    namePrefix=S, nameSuffix=S, images=STRINGS, commonLabels=STRING_MAP, version=S,
    commonAnnotations=STRING_MAP, forceCommonLabels=B, forceCommonAnnotations=B,
    namespace=S, commonAnnotationsEnvsubst=B,
    replicas=ListOf(obj(("count", "name"), name=S, count=IntOrStr())),
    patches=ListOf(obj(
        path=S, patch=S, options=MapOf(B),
        target=obj(group=S, version=S, kind=S, name=S, namespace=S, annotationSelector=S,
                   labelSelector=S),
    )),
    components=STRINGS, ignoreMissingComponents=B, labelWithoutSelector=B, kubeVersion=S,
    apiVersions=STRINGS, labelIncludeTemplates=B,
)
JSONNET_VAR = obj(("name", "value"), name=S, value=S, code=B)
DIRECTORY = obj(
    recurse=B, exclude=S, include=S, disableExtensionFilter=B,
    jsonnet=obj(extVars=ListOf(JSONNET_VAR), tlas=ListOf(JSONNET_VAR), libs=STRINGS),
)
PLUGIN = obj(
    name=S,
    env=ListOf(obj(("name", "value"), name=S, value=S)),
    parameters=ListOf(obj(name=S, string=S, map=STRING_MAP, array=STRINGS)),
)
TOOLS: dict[str, Node] = {"helm": HELM, "kustomize": KUSTOMIZE, "directory": DIRECTORY,
                          "plugin": PLUGIN}
SOURCE = Obj({"repoURL": S, "path": S, "targetRevision": S, "chart": S, "ref": S, "name": S,
              "tagPrefix": S, **TOOLS}, frozenset({"repoURL"}))
SOURCE_HYDRATOR = obj(
    ("drySource", "syncSource"),
    drySource=Obj({"repoURL": S, "targetRevision": S, "path": S, **TOOLS},
                  frozenset({"repoURL", "targetRevision", "path"})),
    syncSource=obj(("targetBranch", "path"), targetBranch=S, repoURL=S,
                   path=Str(pattern=r"^.{2,}|[^./]$", min_length=1)),
    hydrateTo=obj(("targetBranch",), targetBranch=S),
)
DESTINATION = obj(server=S, namespace=S, name=S)
SYNC_POLICY = obj(
    automated=obj(prune=B, selfHeal=B, allowEmpty=B, enabled=B),
    syncOptions=STRINGS,
    retry=obj(limit=N, refresh=B, backoff=obj(duration=S, factor=N, maxDuration=S)),
    managedNamespaceMetadata=obj(labels=STRING_MAP, annotations=STRING_MAP),
)
APPLICATION_SPEC = obj(
    ("destination", "project"),
    source=SOURCE, sources=ListOf(SOURCE), sourceHydrator=SOURCE_HYDRATOR,
    destination=DESTINATION, project=S, syncPolicy=SYNC_POLICY,
    ignoreDifferences=ListOf(obj(
        ("kind",), group=S, kind=S, name=S, namespace=S, jsonPointers=STRINGS,
        jqPathExpressions=STRINGS, managedFieldsManagers=STRINGS,
    )),
    info=ListOf(obj(("name", "value"), name=S, value=S)),
    revisionHistoryLimit=N,
)


def _resource(spec: Node, **extra: Node) -> Obj:
    return obj(("metadata", "spec"), apiVersion=S, kind=S, metadata=OBJECT_META, spec=spec,
               status=ANY_OBJECT, **extra)


APPLICATION = _resource(APPLICATION_SPEC, operation=ANY_OBJECT)

# -- ApplicationSet -----------------------------------------------------------------------
TEMPLATE_META = obj(name=S, namespace=S, labels=STRING_MAP, annotations=STRING_MAP,
                    finalizers=STRINGS)
TEMPLATE = obj(("metadata", "spec"), metadata=TEMPLATE_META, spec=APPLICATION_SPEC)
SECRET_REF = obj(("secretName", "key"), secretName=S, key=S)
CONFIG_MAP_REF = obj(("configMapName", "key"), configMapName=S, key=S)
BASIC_AUTH = obj(("username", "passwordRef"), username=S, passwordRef=SECRET_REF)
BEARER_TOKEN = obj(("tokenRef",), tokenRef=SECRET_REF)
REQUEUE = {"requeueAfterSeconds": N}

LIST = obj(elements=ListOf(Anything()), elementsYaml=S, template=TEMPLATE)
CLUSTERS = obj(selector=LABEL_SELECTOR, template=TEMPLATE, values=STRING_MAP,
               flatList=B)
GIT_ITEM = obj(("path",), path=S, exclude=B)
GIT = Obj({
    "repoURL": S, "revision": S, "directories": ListOf(GIT_ITEM), "files": ListOf(GIT_ITEM),
    "template": TEMPLATE, "pathParamPrefix": S, "values": STRING_MAP, **REQUEUE,
}, frozenset({"repoURL", "revision"}))
SCM_PROVIDER = Obj({
    "github": obj(("organization",), organization=S, api=S, tokenRef=SECRET_REF,
                  appSecretName=S, allBranches=B, excludeArchivedRepos=B),
    "gitlab": obj(("group",), group=S, includeSubgroups=B, api=S, tokenRef=SECRET_REF,
                  allBranches=B, insecure=B, includeSharedProjects=B, topic=S,
                  caRef=CONFIG_MAP_REF, includeArchivedRepos=B),
    "bitbucket": obj(("owner", "user", "appPasswordRef"), owner=S, user=S,
                     appPasswordRef=SECRET_REF, allBranches=B),
    "bitbucketServer": obj(("project", "api"), project=S, api=S, basicAuth=BASIC_AUTH,
                           allBranches=B, bearerToken=BEARER_TOKEN, insecure=B,
                           caRef=CONFIG_MAP_REF),
    "gitea": obj(("owner", "api"), owner=S, api=S, tokenRef=SECRET_REF, allBranches=B,
                 insecure=B, excludeArchivedRepos=B),
    "azureDevOps": obj(("organization", "teamProject", "accessTokenRef"), organization=S,
                       api=S, teamProject=S, accessTokenRef=SECRET_REF, allBranches=B),
    "awsCodeCommit": obj(tagFilters=ListOf(obj(("key",), key=S, value=S)), role=S, region=S,
                         allBranches=B),
    "filters": ListOf(obj(repositoryMatch=S, pathsExist=STRINGS, pathsDoNotExist=STRINGS,
                          labelMatch=S, branchMatch=S)),
    "cloneProtocol": S, "template": TEMPLATE, "values": STRING_MAP, **REQUEUE,
})
PULL_REQUEST = Obj({
    "github": obj(("owner", "repo"), owner=S, repo=S, api=S, tokenRef=SECRET_REF,
                  appSecretName=S, labels=STRINGS),
    "gitlab": obj(("project",), project=S, api=S, tokenRef=SECRET_REF, labels=STRINGS,
                  pullRequestState=S, insecure=B, caRef=CONFIG_MAP_REF),
    "gitea": obj(("owner", "repo", "api"), owner=S, repo=S, api=S, tokenRef=SECRET_REF,
                 insecure=B, labels=STRINGS),
    "bitbucketServer": obj(("project", "repo", "api"), project=S, repo=S, api=S,
                           basicAuth=BASIC_AUTH, bearerToken=BEARER_TOKEN, insecure=B,
                           caRef=CONFIG_MAP_REF),
    "bitbucket": obj(("owner", "repo"), owner=S, repo=S, api=S, basicAuth=BASIC_AUTH,
                     bearerToken=BEARER_TOKEN),
    "azuredevops": obj(("organization", "project", "repo"), organization=S, project=S,
                       repo=S, api=S, tokenRef=SECRET_REF, labels=STRINGS),
    "filters": ListOf(obj(branchMatch=S, targetBranchMatch=S, titleMatch=S)),
    "template": TEMPLATE, "values": STRING_MAP, "continueOnRepoNotFoundError": B,
    **REQUEUE,
})
CLUSTER_DECISION = Obj({
    "configMapRef": S, "name": S, "labelSelector": LABEL_SELECTOR,
    "template": TEMPLATE, "values": STRING_MAP, **REQUEUE,
}, frozenset({"configMapRef"}))
PLUGIN_GENERATOR = Obj({
    "configMapRef": obj(("name",), name=S), "input": obj(parameters=MapOf(Anything())),
    "template": TEMPLATE, "values": STRING_MAP, **REQUEUE,
}, frozenset({"configMapRef"}))
LEAF_GENERATORS: dict[str, Node] = {
    "list": LIST, "clusters": CLUSTERS, "git": GIT, "scmProvider": SCM_PROVIDER,
    "clusterDecisionResource": CLUSTER_DECISION, "pullRequest": PULL_REQUEST,
    "plugin": PLUGIN_GENERATOR, "selector": LABEL_SELECTOR,
}
# Generators inside matrix/merge: their own matrix and merge are free-form (checked when used)
NESTED_GENERATOR = Obj({**LEAF_GENERATORS, "matrix": Anything(), "merge": Anything()})
MATRIX = obj(("generators",), generators=ListOf(NESTED_GENERATOR), template=TEMPLATE)
MERGE = obj(("generators", "mergeKeys"), generators=ListOf(NESTED_GENERATOR),
            mergeKeys=STRINGS, template=TEMPLATE)
GENERATOR = Obj({**LEAF_GENERATORS, "matrix": MATRIX, "merge": MERGE})

MATCH_EXPRESSION = obj(key=S, operator=S, values=STRINGS)
APPLICATION_SET_SPEC = obj(
    ("generators", "template"),
    goTemplate=B, goTemplateOptions=STRINGS, generators=ListOf(GENERATOR), template=TEMPLATE,
    templatePatch=S, applyNestedSelectors=B,
    syncPolicy=obj(preserveResourcesOnDeletion=B,
                   applicationsSync=Str(enum=("create-only", "create-update", "create-delete",
                                              "sync"))),
    strategy=obj(type=S, deletionOrder=S, rollingSync=obj(steps=ListOf(obj(
        matchExpressions=ListOf(MATCH_EXPRESSION), maxUpdate=IntOrStr())))),
    preservedFields=obj(annotations=STRINGS, labels=STRINGS),
    ignoreApplicationDifferences=ListOf(obj(name=S, jsonPointers=STRINGS,
                                            jqPathExpressions=STRINGS)),
)
APPLICATION_SET = _resource(APPLICATION_SET_SPEC)

# -- AppProject ---------------------------------------------------------------------------
CLUSTER_RESOURCE = obj(("group", "kind"), group=S, kind=S, name=S)
APP_PROJECT_SPEC = obj(
    sourceRepos=STRINGS, destinations=ListOf(DESTINATION), description=Str(max_length=255),
    roles=ListOf(obj(("name",), name=S, description=S, policies=STRINGS, groups=STRINGS,
                     jwtTokens=ListOf(obj(("iat",), iat=N, exp=N, id=S)))),
    clusterResourceWhitelist=ListOf(CLUSTER_RESOURCE),
    clusterResourceBlacklist=ListOf(CLUSTER_RESOURCE),
    namespaceResourceWhitelist=ListOf(GROUP_KIND),
    namespaceResourceBlacklist=ListOf(GROUP_KIND),
    orphanedResources=obj(warn=B, ignore=ListOf(obj(group=S, kind=S, name=S))),
    syncWindows=ListOf(obj(kind=S, schedule=S, duration=S, applications=STRINGS,
                           namespaces=STRINGS, clusters=STRINGS, manualSync=B, timeZone=S,
                           andOperator=B, description=S, syncOverrun=B)),
    signatureKeys=ListOf(obj(("keyID",), keyID=S)),
    sourceNamespaces=STRINGS, permitOnlyProjectScopedClusters=B,
    destinationServiceAccounts=ListOf(obj(("server", "defaultServiceAccount"), server=S,
                                          namespace=S, defaultServiceAccount=S)),
    sourceIntegrity=obj(("git",), git=obj(("policies",), policies=ListOf(obj(
        ("repos", "gpg"),
        repos=ListOf(obj(("url",), url=S)),
        gpg=obj(("mode", "keys"), mode=S, keys=STRINGS),
    )))),
)
APP_PROJECT = _resource(APP_PROJECT_SPEC)

SCHEMAS: dict[str, Node] = {
    "Application": APPLICATION,
    "ApplicationSet": APPLICATION_SET,
    "AppProject": APP_PROJECT,
}
