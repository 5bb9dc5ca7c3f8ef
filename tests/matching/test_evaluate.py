import json

import pytest

from matching.evaluate import Query, fold_of, main, metrics, read_queries, reciprocal_rank

CORPUS = """target_id,preferredLabel,description,altLabels,iscoGroup,code,tech_domain
u:lasser,lasser,Lassers verbinden metalen delen.,booglasser | lasster,7212,7212.1,other
u:kok,kok,Koks bereiden maaltijden.,kokkin,5120,5120.1,other
u:monteur,monteur,Monteurs houden machines draaiende.,,7233,7233.1,other
u:automonteur,automonteur,Automonteurs repareren auto's.,garagemonteur,7231,7231.1,other
"""

HEADER = "query_id,query_text,target_id,query_type,tech_domain,n_targets,exact_label_match,"
HEADER += "near_pref,index_fields\n"
ALL = "preferredLabel+altLabels+description"
QUERIES = HEADER + "".join(f"{qid},{text},{target},{kind},other,1,0,0,{fields}\n" for qid, text,
                           target, kind, fields in [
    ("Q1", "lasser", "u:lasser", "titles", ALL),
    ("Q2", "kok", "u:kok", "titles", ALL),
    # The automonteur's own label comes first, so the monteur it also is comes second.
    ("Q3", "automonteur", "u:monteur", "other", ALL),
    ("Q3", "automonteur", "u:kok", "other", ALL),  # a second target of the same query
    # Only preferred labels and descriptions may be searched; "lasster" is the female form
    # of the preferred label "lasser".
    ("Q4", "lasster", "u:lasser", "other", "preferredLabel+description"),
])


# Titles people mapped, six per occupation: enough for the normaliser to learn from.
EXAMPLES = "text,target_uri,source\n" + "".join(f"{text},{target},test\n" for target, texts in {
    "u:lasser": ["lasrobotoperator", "tig-lasser", "mig-lasser", "lasser constructie",
                 "plaatwerker-lasser", "pijplasser"],
    "u:kok": ["chefkok", "hulpkok", "kok restaurant", "pizzabakker", "zelfstandig kok",
              "kok instelling"],
    "u:monteur": ["monteur machines", "storingsmonteur", "servicemonteur", "monteur",
                  "werkplaatsmonteur", "machinemonteur"],
    "u:automonteur": ["autotechnicus", "eerste autotechnicus", "apk-keurmeester",
                      "bandenmonteur", "garagehouder", "automonteur"],
}.items() for text in texts)


@pytest.fixture
def files(tmp_path):
    corpus = tmp_path / "corpus.csv"
    queries = tmp_path / "queries.csv"
    corpus.write_text(CORPUS, encoding="utf-8")
    queries.write_text(QUERIES, encoding="utf-8")
    return corpus, queries


def test_metrics_are_computed_by_hand():
    queries = [Query("a", "", "t", ALL, frozenset({"x"})),
               Query("b", "", "t", ALL, frozenset({"y", "z"})),
               Query("c", "", "t", ALL, frozenset({"w"}))]
    rankings = [["x", "q"], ["q", "r", "s", "t", "u", "z"], ["q"] * 10 + ["w"]]
    result = metrics(rankings, queries, k=10)
    assert result == {"n": 3, "hit@1": round(1 / 3, 4), "hit@5": round(1 / 3, 4),
                      "hit@10": round(2 / 3, 4), "mrr@10": round((1 + 1 / 6) / 3, 4)}
    assert reciprocal_rank(["q", "w"], frozenset({"w"})) == 0.5
    assert reciprocal_rank(["q"] * 10 + ["w"], frozenset({"w"})) == 0.0


def test_queries_are_grouped_by_id_with_all_their_targets(files):
    queries = read_queries(files[1])
    assert [q.query_id for q in queries] == ["Q1", "Q2", "Q3", "Q4"]
    assert queries[2].targets == frozenset({"u:monteur", "u:kok"})
    assert queries[3].index_fields == "preferredLabel+description"


def test_json_output_is_one_object_with_the_hand_computed_figures(files, capsys):
    corpus, queries = files
    assert main(["--corpus", str(corpus), "--queries", str(queries), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # Q1, Q2 first; Q3's monteur second; Q4 "lasster" only by its characters, first of four.
    ranks = {"Q1": 1, "Q2": 1, "Q3": 2, "Q4": 1}
    assert result["by_query_type"]["titles"] == {
        "n": 2, "hit@1": 1.0, "hit@5": 1.0, "hit@10": 1.0, "mrr@10": 1.0}
    assert result["by_query_type"]["other"] == {
        "n": 2, "hit@1": 0.5, "hit@5": 1.0, "hit@10": 1.0, "mrr@10": 0.75}
    assert result["overall"]["mrr@10"] == round(sum(1 / r for r in ranks.values()) / 4, 4)
    assert result["overall"]["n"] == 4
    assert result["queries_per_second"] > 0
    assert set(result["baselines"]) == {"char_tfidf", "wratio"}
    for baseline in result["baselines"].values():
        assert set(baseline["by_query_type"]) == {"titles", "other"}
        assert set(baseline["overall"]) == {"n", "hit@1", "hit@5", "hit@10", "mrr@10"}


def test_text_output_has_a_row_per_type_and_model(files, capsys):
    corpus, queries = files
    assert main(["--corpus", str(corpus), "--queries", str(queries), "--k", "5"]) == 0
    out = capsys.readouterr().out
    assert "mrr@5" in out and "queries/s" in out
    assert any(line.startswith("examples: ") and " given, " in line
               for line in out.splitlines())
    for model in ("normaliser", "char_tfidf", "wratio"):
        assert sum(line.split()[1:2] == [model] for line in out.splitlines()) == 3


@pytest.mark.parametrize(("which", "content", "message"), [
    ("corpus", None, "corpus file not found"),
    ("queries", None, "queries file not found"),
    ("corpus", "id,label\n1,kok\n", "lacks column(s): target_id, preferredLabel"),
    ("queries", "query_id,query_text\nQ1,kok\n", "lacks column(s): target_id, query_type"),
    ("queries", HEADER + "Q1,kok,u:kok,t,other,1,0,0,preferredLabel+salary\n",
     "line 2: unknown field(s) salary"),
    ("queries", HEADER, "has no queries"),
    ("corpus", "target_id,preferredLabel\n", "has no occupations"),
    ("corpus", b"\xff\xfe\x00bad", "is not a UTF-8 CSV"),
    ("examples", None, "examples file not found"),
    ("examples", "title,uri\nkok,u:kok\n", "lacks column(s): text, target_uri"),
    ("examples", b"\xff\xfe\x00bad", "is not a UTF-8 CSV"),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(files, capsys, which, content,
                                                           message):
    corpus, queries = files
    examples = corpus.parent / "examples.csv"
    examples.write_text(EXAMPLES, encoding="utf-8")
    path = {"corpus": corpus, "queries": queries, "examples": examples}[which]
    if content is None:
        path.unlink()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert main(["--corpus", str(corpus), "--queries", str(queries), "--no-baselines",
                 "--examples", str(examples)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_usage_errors_exit_2(files):
    corpus, queries = files
    with pytest.raises(SystemExit) as exit_info:
        main(["--corpus", str(corpus)])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["--corpus", str(corpus), "--queries", str(queries), "--k", "0"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["--corpus", str(corpus), "--queries", str(queries), "--folds", "1"])
    assert exit_info.value.code == 2


def _run_json(capsys, *args):
    assert main([*args, "--no-baselines", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_an_example_that_is_also_a_query_is_left_out(files, capsys, tmp_path):
    """"automonteur" is an example title and a query here: the normaliser learns from the
    other 23 examples only."""
    corpus, queries = files
    examples = tmp_path / "examples.csv"
    examples.write_text(EXAMPLES, encoding="utf-8")
    result = _run_json(capsys, "--corpus", str(corpus), "--queries", str(queries),
                       "--examples", str(examples))
    assert result["examples"] == {"given": 24, "titles_also_queries": 1, "folds": 0}
    plain = _run_json(capsys, "--corpus", str(corpus), "--queries", str(queries),
                      "--no-examples")
    assert plain["examples"] == {"given": 0, "titles_also_queries": 0, "folds": 0}


def test_folds_rank_every_query_once_with_the_other_folds_titles(files, capsys, tmp_path):
    corpus, queries = files
    examples = tmp_path / "examples.csv"
    examples.write_text(EXAMPLES, encoding="utf-8")
    result = _run_json(capsys, "--corpus", str(corpus), "--queries", str(queries),
                       "--examples", str(examples), "--folds", "3")
    assert result["examples"]["folds"] == 3
    assert result["overall"]["n"] == 4
    assert result["queries_per_second_one_at_a_time"] > 0


def test_a_title_and_its_copies_share_one_fold():
    assert fold_of("Automonteur", 5) == fold_of(" automonteur ", 5)
    assert {fold_of(f"titel {i}", 5) for i in range(100)} == set(range(5))
