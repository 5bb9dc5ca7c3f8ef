"""`talentmatch match`, `talentmatch export matches` and `talentmatch fit-weights`."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlmodel import select

from app.cli import main
from app.models import DecisionLog, MatchProposal, MatchRound, ProposalStatus
from app.services.occupations import choose_occupation, normaliser, suggestions
from matching.reranking import load_examples
from matching.scoring import COMPONENTS


def test_match_for_a_school_stores_proposals_and_prints_a_summary(world, cli, session):
    result = cli("match", "--school", world.home.school.code, "--seed", "4")
    assert result.exit_code == 0, result.output
    round_ = session.exec(select(MatchRound)).one()
    assert f"Round {round_.id} (school:{world.home.school.code})" in result.output
    assert "students proposed" in result.output and "mean score" in result.output
    assert round_.parameters["seed"] == 4 and session.exec(select(MatchProposal)).all()


def test_match_for_a_region_by_name_and_for_everyone(world, cli, session):
    assert cli("match", "--region", "Liemers").exit_code == 0
    assert cli("match", "--all").exit_code == 0
    assert [r.scope for r in session.exec(select(MatchRound).order_by(MatchRound.id))] == \
        ["region:liemers", "all"]


def test_match_says_what_is_wrong_with_its_arguments(world, cli, session):
    none = CliRunner().invoke(main, ["match"])
    assert none.exit_code == 2 and "exactly one of --school" in none.output
    both = CliRunner().invoke(main, ["match", "--all", "--school", "X"])
    assert both.exit_code == 2
    unknown = CliRunner().invoke(main, ["match", "--region", "Narnia"])
    assert unknown.exit_code == 2 and "no region is called 'Narnia'" in unknown.output
    assert "liemers" in unknown.output
    assert session.exec(select(MatchRound)).first() is None


def test_export_matches_writes_one_row_per_proposal_as_csv_or_xlsx(world, cli, session,
                                                                  tmp_path):
    cli("match", "--all", "--seed", "1")
    proposal = session.exec(select(MatchProposal)).first()
    proposal.explanation = "=HYPERLINK(\"http://evil\")"
    session.add(proposal)
    session.commit()
    count = len(session.exec(select(MatchProposal)).all())
    result = cli("export", "matches", str(tmp_path / "m.csv"))
    assert result.exit_code == 0 and f"{count} proposal(s)" in result.output
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header = rows[0]
    assert header[:7] == ["round", "student_number", "school_code", "placement_code",
                          "company_kvk", "rank", "score"]
    assert header[7:7 + len(COMPONENTS)] == list(COMPONENTS) and len(rows) == count + 1
    assert any(row[-1] == "'=HYPERLINK(\"http://evil\")" for row in rows[1:])
    assert cli("export", "matches", str(tmp_path / "m.xlsx")).exit_code == 0
    sheet = load_workbook(tmp_path / "m.xlsx").active
    values = list(sheet.values)
    assert list(values[0]) == header and len(values) == count + 1
    assert any(str(row[-1]).startswith("'=") for row in values[1:])


def test_export_refuses_an_unknown_format_or_round(world, cli):
    bad = CliRunner().invoke(main, ["export", "matches", "out.pdf"])
    assert bad.exit_code == 2 and ".csv or .xlsx" in bad.output
    missing = CliRunner().invoke(main, ["export", "matches", "out.csv", "--round", "999"])
    assert missing.exit_code == 2 and "there is no round 999" in missing.output


def test_export_occupation_examples_writes_chosen_occupations_that_the_normaliser_can_learn(
        world, cli, session, tmp_path):
    placement = world.home.placement
    placement.title = "=Autotechnicus zwaar transport"
    session.add(placement)
    session.commit()
    code = suggestions(text="lasser")[0].code
    choose_occupation(session=session, placement=placement, code=code)
    result = cli("export", "occupation-examples", str(tmp_path / "examples.csv"))
    assert result.exit_code == 0 and "1 title(s)" in result.output
    examples = load_examples(tmp_path / "examples.csv")
    assert [(e.text, e.source) for e in examples] == [("'=Autotechnicus zwaar transport",
                                                       "talentmatch")]
    assert examples[0].target == next(o.uri for o in normaliser().occupations_
                                      if o.code == code)
    bad = CliRunner().invoke(main, ["export", "occupation-examples", "out.xlsx"])
    assert bad.exit_code == 2 and "must end in .csv" in bad.output


def test_fit_weights_learns_from_decisions_and_match_uses_them(world, cli, session, tmp_path,
                                                             monkeypatch):
    home = world.home
    for n in range(40):
        good = n % 2 == 0
        proposal = MatchProposal(
            student_id=home.student.id, placement_id=home.placement.id, score=0.5,
            status=ProposalStatus.approved if good else ProposalStatus.rejected,
            components={name: (0.9 if good and name == "talent" else 0.2 + (n % 5) / 10)
                        for name in COMPONENTS})
        session.add(proposal)
        session.flush()
        session.add(DecisionLog(proposal_id=proposal.id, action="approve" if good else "reject",
                                from_status="proposed", to_status=proposal.status.value))
    session.commit()
    target = tmp_path / "weights.json"
    result = cli("fit-weights", str(target))
    assert result.exit_code == 0, result.output
    assert "Fitted on 40 decisions (20 approved)" in result.output
    weights = json.loads(target.read_text())["weights"]
    assert max(weights, key=weights.get) == "talent"
    assert (tmp_path / "weights.md").exists()
    monkeypatch.setenv("MATCH_WEIGHTS_FILE", str(target))
    assert cli("match", "--school", home.school.code).exit_code == 0
    used = session.exec(select(MatchRound)).one().parameters["weights"]
    assert used["talent"] == pytest.approx(weights["talent"], abs=1e-3)


def test_fit_weights_refuses_too_few_decisions(world, cli, tmp_path):
    result = CliRunner().invoke(main, ["fit-weights", str(tmp_path / "w.json")])
    assert result.exit_code == 1 and "need at least 30 decisions" in result.output
    assert not (tmp_path / "w.json").exists()


def test_a_broken_weights_file_stops_the_round_with_a_clear_message(world, cli, session,
                                                                    tmp_path, monkeypatch):
    broken = tmp_path / "weights.json"
    broken.write_text('{"format": "talentmatch-weights/1", "weights": {"text": Infinity}}')
    monkeypatch.setenv("MATCH_WEIGHTS_FILE", str(broken))
    result = CliRunner().invoke(main, ["match", "--all"])
    assert result.exit_code == 1 and "MATCH_WEIGHTS_FILE cannot be used" in result.output
    assert session.exec(select(MatchRound)).first() is None
