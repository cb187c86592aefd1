"""A company file that breaks many audit and probe rules at once, and what validate says.

Shared by tests/test_problem_kinds.py; the expected list was produced by the validator as it
was before the probe check became rule functions (tag pre-19), so it pins the order too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from benchmark import load
from benchmark.validate import validate

NOW = datetime(2025, 1, 1, tzinfo=UTC)

COMPANY = """\
slug: many-rules
name: Many Rules
website: https://many-rules.example
sector: software-house
country: PL
languages: [pl]
fictional: true
audits:
  - edition: fixture-edition
    started: '2019-02-01'
    ended: '2019-02-28'
    support_hours:
      timezone: Europe/Warsow
      schedule:
        - days: [mon]
          open: '17:00'
          close: '09:00'
    channels:
      - type: email
        proactive: true
        handoff: true
      - type: email
      - type: live_chat
        declared_response_time:
          duration: PT0S
          where: chat_widget
    probes:
      - channel: phone
        script: quot
        sent_at: '2019-04-12T10:15:00+02:00'
        acknowledgement:
          at: '2019-04-12T09:00:00+02:00'
          promised: PT0S
        first_response:
          at: '2019-04-12T09:30:00+02:00'
          by: human
        human_response:
          at: '2019-04-12T09:10:00+02:00'
        quality:
          answered_question: true
          nosuch_item: true
        marketing_after_no_answer: 2
        evidence: [evidence/other/mail.png]
      - channel: email
        script: quote
        sent_at: '2019-02-30T10:15:00+01:00'
        redirected_to: phone
        quality:
          answered_question: true
      - channel: email
        script: quote
        sent_at: '2019-02-11T10:15:00+02:00'
        first_response:
          at: '2099-02-11T10:15:00+01:00'
          by: human
        quality:
          answered_question: "n/a"
"""


def problems(root: Path) -> list[tuple[str, str, str, str, str]]:
    """Validate the company in the fixture tree at ``root``.

    Each problem as (kind, path, message, hint, severity), in the order validate gives them.
    """
    target = root / "data" / "companies" / "many-rules.yaml"
    target.write_text(COMPANY, encoding="utf-8")
    dataset = load.read_dataset(root)
    found = validate(dataset, NOW, only={"data/companies/many-rules.yaml"})
    return [(p.kind, p.path, p.message, p.hint, p.severity) for p in found]
