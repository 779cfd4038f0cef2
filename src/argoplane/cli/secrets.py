"""`argoplane secrets`: SOPS value files with age keys, and Sealed Secrets, offline."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from argoplane.core import yamlio
from argoplane.core.config import load_config
from argoplane.core.errors import ExitCode
from argoplane.core.files import write_atomic
from argoplane.core.snapshot import Snapshot
from argoplane.render.tree import RenderOptions, render_repository
from argoplane.report.mask import mask_secret
from argoplane.secrets import age, scan, sealed, sealing
from argoplane.secrets.edit import edit_file
from argoplane.secrets.encrypt import encrypt_file
from argoplane.secrets.sealed import Scope
from argoplane.secrets.sops import KeySources
from argoplane.secrets.values import SecretValues
from argoplane.secrets.workspace import inside, repo_root, sops_for

REPO_HELP = ("The repository root: sops runs there and reads its .sops.yaml and .argoplane.yaml "
             "(default: the nearest folder up from the file with one of them, else the Git "
             "top level).")


@click.group()
def secrets() -> None:
    """SOPS-encrypted value files (age keys) and Sealed Secrets.

    Plaintext never reaches the disk (but for `edit`'s private temporary file while your
    editor runs) and secret values are never printed, except by `decrypt` (stdout, because
    you asked) and with --show-secrets.
    """


# -- SOPS ------------------------------------------------------------------------------------
@secrets.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def keygen(file: Path) -> int:
    """Create an age identity in FILE (readable by you only) and print its recipient.

    The recipient (`age1...`) goes into .sops.yaml; FILE is what SOPS_AGE_KEY_FILE or
    `secrets.ageKeyFile` in .argoplane.yaml points at. An existing FILE is never replaced.
    """
    identity = age.generate()
    age.write_identity(file, identity, datetime.now(UTC))
    click.echo(f"wrote an age identity to {file} (keep it out of Git); its recipient:", err=True)
    click.echo(identity.recipient)
    return ExitCode.OK


@secrets.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--age", "recipients", multiple=True, metavar="RECIPIENT",
              help="Encrypt for this age recipient instead of the rules in .sops.yaml "
                   "(repeatable).")
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), help=REPO_HELP)
def encrypt(files: tuple[Path, ...], recipients: tuple[str, ...], repo: Path | None) -> int:
    """Encrypt FILES in place with sops, for the recipients .sops.yaml gives them.

    The plaintext goes to sops on stdin; each file is replaced whole by its ciphertext.
    """
    for file in files:
        root = repo_root(file, repo)
        sops = sops_for(root, os.environ)
        path = inside(file, root)
        whom = encrypt_file(sops, path, recipients)
        click.echo(f"encrypted {sops.rel(path)} for {', '.join(whom) or 'its recipients'}",
                   err=True)
    return ExitCode.OK


@secrets.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), help=REPO_HELP)
def decrypt(file: Path, repo: Path | None) -> int:
    """Print the decrypted FILE on stdout (it is never written anywhere).

    Keys: SOPS_AGE_KEY_FILE / SOPS_AGE_KEY, sops' default keys.txt, and `secrets.ageKeyFile`
    in .argoplane.yaml.
    """
    root = repo_root(file, repo)
    sops = sops_for(root, os.environ)
    sys.stdout.write(sops.decrypt(inside(file, root)))
    return ExitCode.OK


@secrets.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), help=REPO_HELP)
def edit(file: Path, repo: Path | None) -> int:
    """Edit an encrypted FILE in $EDITOR and encrypt it again for the same recipients.

    The plaintext lives in a private temporary file while the editor runs and is removed
    afterwards, whatever happens.
    """
    root = repo_root(file, repo)
    sops = sops_for(root, os.environ)
    path = inside(file, root)
    interactive = sys.stdin.isatty()

    def retry(reason: str) -> bool:
        if not interactive:
            return False
        click.echo(f"argoplane: {reason}", err=True)
        return click.confirm("Open the editor again?", default=True, err=True)

    result = edit_file(sops, path, os.environ, retry)
    click.echo(f"{sops.rel(path)}: " + ("encrypted again" if result.changed else "no changes"),
               err=True)
    return ExitCode.OK


# -- Sealed Secrets --------------------------------------------------------------------------
SCOPES = click.Choice([s.value for s in Scope])


@secrets.command()
@click.argument("secret_file", required=False, metavar="[SECRET.yaml|-]",
                type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--name", help="The Secret's name (overrides metadata.name).")
@click.option("-n", "--namespace", help="The Secret's namespace.")
@click.option("--type", "secret_type", default=None,
              help="The Secret's type, with --from-literal/--from-file (default Opaque).")
@click.option("--from-literal", "literals", multiple=True, metavar="KEY=VALUE",
              help="An item from a literal value (repeatable).")
@click.option("--from-file", "from_files", multiple=True, metavar="[KEY=]PATH",
              help="An item from a file's content; KEY defaults to its file name (repeatable).")
@click.option("--cert", type=click.Path(dir_okay=False, path_type=Path),
              help="The controller's certificate (kubeseal --fetch-cert).")
@click.option("--cluster", help="Use the certificate .argoplane.yaml configures for this "
              "cluster (secrets.sealedSecrets.certs).")
@click.option("--scope", type=SCOPES, default=None,
              help="Where the SealedSecret may be unsealed [default: the Secret's scope "
                   "annotations, else strict].")
@click.option("--raw", is_flag=True, help="Seal one value and print only its encrypted form "
              "(for encryptedData or a template).")
@click.option("--merge-into", type=click.Path(dir_okay=False, path_type=Path),
              help="Add or replace these items in an existing SealedSecret file, in place; "
                   "other items keep their ciphertext.")
@click.option("--key", "key_files", multiple=True, type=click.Path(dir_okay=False,
              path_type=Path), help="With --merge-into: the controller's private key or key "
              "backup, to keep the ciphertext of items whose value did not change.")
@click.option("-o", "--output", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True, help="Output format.")
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path),
              help="The repository whose .argoplane.yaml configures certificates (default: "
                   "found from the current folder).")
def seal(secret_file: Path | None, name: str | None, namespace: str | None,
         secret_type: str | None, literals: tuple[str, ...], from_files: tuple[str, ...],
         cert: Path | None, cluster: str | None, scope: str | None, raw: bool,
         merge_into: Path | None, key_files: tuple[Path, ...], output: str,
         repo: Path | None) -> int:
    """Seal a Secret offline with the controller's certificate, as kubeseal does.

    The Secret comes from SECRET.yaml (`-` for stdin) or from --name/--namespace with
    --from-literal/--from-file. The SealedSecret goes to stdout, or into --merge-into.
    Expired certificates and non-RSA keys are refused.
    """
    root = repo_root(Path.cwd(), repo)
    public_key, _source = sealing.certificate(cert, cluster, root, load_config(root),
                                              datetime.now(UTC))
    chosen = Scope(scope) if scope else None
    text = None
    if secret_file is not None:
        text = (sys.stdin.read() if str(secret_file) == "-"
                else sealing.read_bytes(secret_file).decode("utf-8", errors="replace"))
    requests = sealing.seal_requests(
        text, str(secret_file) if secret_file else None, name=name, namespace=namespace,
        scope=chosen, secret_type=secret_type, literals=literals, files=from_files, raw=raw)
    if raw:
        click.echo(sealing.seal_raw(requests, public_key))
    elif merge_into is not None:
        merged, changed, kept = sealing.seal_into(merge_into, requests, chosen, public_key,
                                                  key_files)
        write_atomic(merge_into, _dump([merged], output))
        click.echo(f"{merge_into}: sealed {', '.join(changed) or 'nothing'}"
                   + (f"; kept {', '.join(kept)} (unchanged)" if kept else ""), err=True)
    else:
        for request in requests:
            request.check(str(secret_file) if secret_file else None)
        sys.stdout.write(_dump([sealed.seal(r, public_key) for r in requests], output))
    return ExitCode.OK


def _dump(docs: list[dict[str, Any]], output: str) -> str:
    if output == "json":
        return "\n".join(json.dumps(d, indent=2) for d in docs) + "\n"
    return yamlio.dump_all(docs) if len(docs) > 1 else yamlio.dump(docs[0])


def _shown(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + sealed.encode(value)


@secrets.command()
@click.argument("sealed_file", metavar="SEALED.yaml",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "key_files", multiple=True, required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The controller's private key (PEM) or a key backup (`kubectl get secret -l "
                   "sealedsecrets.bitnami.com/sealed-secrets-key -o yaml`); repeatable.")
@click.option("-n", "--namespace", help="The namespace of a SealedSecret that sets none "
              "(Argo CD's destination namespace).")
@click.option("-o", "--output", type=click.Choice(["text", "json", "yaml"]), default="text",
              show_default=True, help="text/json: which items unseal; yaml: the Secrets the "
              "controller would create (masked unless --show-secrets).")
@click.option("--show-secrets", is_flag=True, help="Print the unsealed values.")
def verify(sealed_file: Path, key_files: tuple[Path, ...], namespace: str | None, output: str,
           show_secrets: bool) -> int:
    """Unseal SEALED.yaml as the controller would and say which items decrypt.

    Exit codes: 0 every item unseals; 1 some item does not; 2 bad input.
    """
    keys = sealing.private_keys(key_files)
    results = [sealed.unseal(doc, keys, str(sealed_file), namespace)
               for doc in sealing.load_sealed(sealed_file)]
    if output == "yaml":
        secrets_out = [r.secret if show_secrets else mask_secret(r.secret) for r in results]
        sys.stdout.write(yamlio.dump_all(secrets_out))
    elif output == "json":
        data = {"sealedSecrets": [{
            "name": r.name, "namespace": r.namespace, "scope": str(r.scope),
            "label": r.label.decode(errors="replace"), "ok": r.ok,
            "templated": list(r.templated),
            "items": [{"key": i.key, "ok": i.value is not None, "problem": i.problem,
                       **({"value": _shown(i.value)} if show_secrets and i.value is not None
                          else {})} for i in r.items],
        } for r in results]}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        for r in results:
            where = f"{r.namespace}/{r.name}" if r.namespace else r.name
            click.echo(f"SealedSecret {where}: {r.scope} scope, label "
                       f"{r.label.decode(errors='replace')!r}")
            for i in r.items:
                if i.value is None:
                    click.echo(f"  FAILED  {i.key}: {i.problem}")
                else:
                    shown = f" = {_shown(i.value)}" if show_secrets else ""
                    click.echo(f"  ok      {i.key}{shown}")
            for key in r.templated:
                click.echo(f"  note    {key}: spec.template.data (a template over the items; "
                           "not evaluated)")
            good = sum(i.value is not None for i in r.items)
            click.echo(f"  {good} of {len(r.items)} item{'s' if len(r.items) != 1 else ''} "
                       "unseal")
    return ExitCode.OK if all(r.ok for r in results) else ExitCode.FINDINGS


# -- checks ----------------------------------------------------------------------------------
@secrets.command()
@click.argument("repo", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def check(repo: Path, fmt: str) -> int:
    """Run the secrets rules (AP020-AP029) on REPO.

    Plaintext or missing secrets files, broken SOPS files, decrypted leftovers, committed
    keys, SealedSecrets that cannot be unsealed where they are deployed, and credentials in
    plain values files. No secret value is ever printed.

    Exit codes: 0 no error-level finding; 1 error-level findings; 2 bad input.
    """
    snapshot = Snapshot.open(repo)
    no_keys = SecretValues(snapshot.root, KeySources({}))  # the rules read no plaintext
    tree = render_repository(snapshot, RenderOptions(secrets=no_keys))
    findings = scan.check_repository(snapshot, tree)
    counts = {level: sum(f.level == level for f in findings)
              for level in ("error", "warning", "info")}
    if fmt == "json":
        data = {"findings": [f.as_json() for f in findings],
                "summary": {"errors": counts["error"], "warnings": counts["warning"],
                            "info": counts["info"]}}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        for f in findings:
            where = f.file or "(repository)"
            if f.line:
                where += f":{f.line}"
            app = f"  [{f.app}]" if f.app else ""
            click.echo(f"{where}: {f.level} {f.rule} {f.message}{app}")
        click.echo(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} "
                   "info", err=True)
    return ExitCode.FINDINGS if counts["error"] else ExitCode.OK
