"""Stage 6, publish: each edition is one site version on the gh-pages branch, with mike.

`ccr publish VERSION` builds the site as of that edition (the data of that edition and the
ones before it), then commits it under VERSION/ on gh-pages with mike; other versions' files
stay untouched. The version selector of mkdocs-material reads mike's versions.json.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import fsutil
from .errors import CCRError, UsageError


class PublishError(CCRError):
    """mike or git refused to publish."""


@dataclass(frozen=True, slots=True)
class Published:
    """What a publish did."""

    version: str
    aliases: tuple[str, ...]
    branch: str
    pushed: bool
    summary: str  # the build's one-line summary
    commit: str = ""  # the source commit the version was built from


def source_commit(root: Path) -> str:
    """The commit the work tree is at; PublishError when it has uncommitted changes.

    A version is built from the work tree, so an edit not yet committed (or a data file not
    yet added) would go public without being in any commit: the tree must be clean.
    """

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)

    head = git("rev-parse", "--verify", "HEAD^{commit}")
    if head.returncode != 0:
        raise PublishError(
            f"{root} is not a git repository with a commit",
            "a version is published from a commit: run ccr publish in the "
            "repository, after committing the data",
        )
    status = git("status", "--porcelain", "--untracked-files=all")
    changed = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if status.returncode != 0 or changed:
        shown = ", ".join(changed[:5]) + (
            f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        )
        raise PublishError(
            f"the work tree has uncommitted changes ({shown}), so nothing was published",
            "commit them (or stash them) first: a published version is built "
            "from one commit, which its footer and versions.json name",
        )
    return head.stdout.strip()


def publish(
    root: Path,
    version: str,
    *,
    aliases: tuple[str, ...] = (),
    push: bool = False,
    corrected_on: str | None = None,
    remote: str = "origin",
    branch: str = "gh-pages",
    on_stage: Callable[[str], None] = lambda _s: None,
) -> Published:
    """Build the site as of edition ``version`` and commit it to ``branch`` with mike."""
    from mike import commands, git_utils

    from .pipeline import BuildOptions, build, draft_ids, edition_ids

    root = root.resolve()
    known = edition_ids(root)
    if version not in known:
        raise UsageError(
            f"no edition '{version}' to publish",
            "a site version is an edition id: " + ", ".join(sorted(known)),
        )
    if version in draft_ids(root):
        raise UsageError(
            f"edition '{version}' is a draft, and drafts are never published",
            f"set status: published in data/editions/{version}.yaml once its "
            "report may go out (preview it with ccr serve)",
        )
    commit = source_commit(root)
    extra: dict[str, object] = {
        "version": {"provider": "mike", "default": list(aliases)[:1] or [version]},
        "source_commit": commit,
    }
    if corrected_on:
        extra["corrected_on"] = corrected_on
    site = root / ".ccr-build" / "publish" / version
    fsutil.remove_tree(site, root)  # refuses when .ccr-build is a link
    fsutil.make_dir(site.parent, root)
    # Canonical URLs point at this version's own directory (a page of 2019-q1/ is that page,
    # whatever alias also serves it); the feed and the badge snippets at the first alias, so
    # that a subscription or an embedded badge follows the newest edition.
    url_path = f"{(aliases or (version,))[0]}/"
    options = BuildOptions(
        edition=version, extra=extra, url_path=url_path, canonical_path=f"{version}/"
    )
    built = build(root, site, options=options, on_stage=on_stage)
    on_stage("mike deploy")
    try:
        with contextlib.chdir(root):
            title = f"{version} (corrected {corrected_on})" if corrected_on else version
            with commands.deploy(
                {"site_dir": str(site)},
                version,
                title,
                list(aliases),
                update_aliases=True,
                branch=branch,
                message=f"Publish {version} from {commit} with ccr publish",
                set_props=[("source_commit", commit)],
            ):
                pass  # the site is built already
            if aliases:
                commands.set_default(
                    aliases[0],
                    branch=branch,
                    allow_empty=True,
                    message=f"Default version: {aliases[0]}",
                )
            if push:
                git_utils.push_branch(remote, branch)
    except (git_utils.GitError, ValueError) as error:
        raise PublishError(
            f"mike could not publish {version}: {error}",
            "check that --root is a git repository with a commit, and the remote for --push",
        ) from None
    finally:
        with contextlib.suppress(OSError, CCRError):  # never deletes through a link
            fsutil.remove_tree(site, root)
    return Published(version, aliases, branch, push, built.summary(), commit)
