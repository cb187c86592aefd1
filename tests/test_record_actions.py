"""The recording commands' library (benchmark/record/actions.py), called without click."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from benchmark.errors import DataError, ProblemsFound, UsageError
from benchmark.record import actions

from .recording import small_tree

EDITION = "2026-q3-software-houses"
SLUG = "alderloom-devhouse"
FILE = f"data/companies/{SLUG}.yaml"
NOW = datetime(2026, 9, 2, 8, 30, 5, tzinfo=UTC)  # 10:30:05 in Warsaw


def _edition(root: Path) -> actions.Done:
    options = actions.EditionOptions(
        edition_id=EDITION,
        title="Software houses",
        sectors=("software-house",),
        market="PL",
        period="2026-09-01..2026-10-30",
        copy_scripts="2019-q1-software-houses",
    )
    return actions.create_edition(root, options, NOW)


def test_edition_audit_probe_and_reply(tmp_path: Path) -> None:
    """An edition, an audit, a probe and its reply, each returning what the command prints."""
    small_tree(tmp_path, SLUG)
    made = _edition(tmp_path)
    assert made.written == [f"data/editions/{EDITION}.yaml"]
    edition = yaml.safe_load((tmp_path / made.written[0]).read_text("utf-8"))
    assert edition["status"] == "draft"
    audited = actions.add_audits(tmp_path, actions.AuditOptions((SLUG,), EDITION), NOW)
    assert audited.written == [FILE]
    probe = actions.ProbeOptions(SLUG, "live_chat", "10:15", "sh-chat-question")
    sent = actions.record_probe(tmp_path, probe, NOW)
    assert (sent.number, sent.edition, sent.sent_at) == (1, EDITION, "2026-09-02T10:15:00+02:00")
    reply = actions.ReplyOptions(SLUG, "last", "human", "now")
    replied = actions.record_reply(tmp_path, reply, NOW)
    assert (replied.number, replied.at, replied.to_review) == (
        1,
        "2026-09-02T10:30:05+02:00",
        True,
    )
    assert [p.kind for p in replied.done.warnings] == ["quality-to-review"]
    review = actions.to_review(tmp_path, (SLUG,), None)
    assert review.editions == {EDITION}
    assert len(review.items) == 1


def test_what_cannot_be_recorded_is_refused(tmp_path: Path) -> None:
    """A missing company, a bad --new value, a bad slug or moment: errors, nothing written."""
    small_tree(tmp_path, SLUG)
    _edition(tmp_path)
    with pytest.raises(DataError, match=r"there is no data/companies/nope\.yaml"):
        actions.add_audits(tmp_path, actions.AuditOptions(("nope",), EDITION), NOW)
    with pytest.raises(UsageError, match="is not NAME=URL"):
        actions.add_audits(tmp_path, actions.AuditOptions((), EDITION, new=("x",)), NOW)
    with pytest.raises(UsageError, match="no company given"):
        actions.add_audits(tmp_path, actions.AuditOptions((), EDITION), NOW)
    with pytest.raises(UsageError, match="is not a company slug"):
        actions.company_in_edition(tmp_path, "../x", None)
    actions.add_audits(tmp_path, actions.AuditOptions((SLUG,), EDITION), NOW)
    before = (tmp_path / FILE).read_bytes()
    with pytest.raises(UsageError, match="--sent yesterday"):
        actions.record_probe(tmp_path, actions.ProbeOptions(SLUG, "phone", "yesterday"), NOW)
    with pytest.raises(ProblemsFound):
        actions.import_log(tmp_path, "log.csv", b"not,a,log\n1,2,3\n", EDITION, NOW)
    assert (tmp_path / FILE).read_bytes() == before
