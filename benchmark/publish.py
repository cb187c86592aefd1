"""Stage 6, publish: each edition is one site version on the gh-pages branch, with mike.

`ccr publish VERSION` builds the site as of that edition (the data of that edition and the
ones before it), then commits it under VERSION/ on gh-pages with mike; other versions' files
stay untouched. The version selector of mkdocs-material reads mike's versions.json.
"""

from __future__ import annotations

import contextlib
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


def publish(root: Path, version: str, *, aliases: tuple[str, ...] = (), push: bool = False,
            corrected_on: str | None = None, remote: str = "origin", branch: str = "gh-pages",
            on_stage: Callable[[str], None] = lambda _s: None) -> Published:
    """Build the site as of edition ``version`` and commit it to ``branch`` with mike."""
    from mike import commands, git_utils

    from .pipeline import build, edition_ids

    root = root.resolve()
    known = edition_ids(root)
    if version not in known:
        raise UsageError(f"no edition '{version}' to publish",
                         "a site version is an edition id: " + ", ".join(sorted(known)))
    extra: dict[str, object] = {"version": {"provider": "mike", "default": list(aliases)[:1]
                                            or [version]}}
    if corrected_on:
        extra["corrected_on"] = corrected_on
    site = root / ".ccr-build" / "publish" / version
    fsutil.remove_tree(site, root)  # refuses when .ccr-build is a link
    fsutil.make_dir(site.parent, root)
    # Absolute links (feed, badge snippets, canonical URLs) point into the first alias, or
    # into this version's own directory when it has none.
    url_path = f"{(aliases or (version,))[0]}/"
    built = build(root, site, edition=version, extra=extra, url_path=url_path,
                  on_stage=on_stage)
    on_stage("mike deploy")
    try:
        with contextlib.chdir(root):
            title = f"{version} (corrected {corrected_on})" if corrected_on else version
            with commands.deploy({"site_dir": str(site)}, version, title, list(aliases),
                                 update_aliases=True, branch=branch,
                                 message=f"Publish {version} with ccr publish"):
                pass  # the site is built already
            if aliases:
                commands.set_default(aliases[0], branch=branch, allow_empty=True,
                                     message=f"Default version: {aliases[0]}")
            if push:
                git_utils.push_branch(remote, branch)
    except (git_utils.GitError, ValueError) as error:
        raise PublishError(f"mike could not publish {version}: {error}",
                           "check that --root is a git repository with a commit, and the "
                           "remote for --push") from None
    finally:
        with contextlib.suppress(OSError, CCRError):  # never deletes through a link
            fsutil.remove_tree(site, root)
    return Published(version, aliases, branch, push, built.summary())
