import numpy as np

from matching.rounds import run_round
from matching.scoring import MatchScorer

from .records import TODAY, placement, student


def test_without_allocation_everyone_would_get_the_favourite_with_it_places_are_spread():
    favourite = placement(1, title="Robots programmeren", themes=("robotica",))
    others = [placement(j, title="Stage", themes=("robotica",)) for j in range(2, 7)]
    scorer = MatchScorer(today=TODAY).fit([favourite, *others])
    students = [student(i, themes=("robotica",), interests="robots programmeren")
                for i in range(1, 11)]
    best = [int(np.argmax(scorer.score_one(s))) for s in students]
    assert set(best) == {0}  # everyone's first choice is the favourite
    result = run_round(scorer=scorer, students=students, free_places=dict.fromkeys(range(1, 7), 2),
                       random_state=0)
    per_placement = np.bincount([p.placement_id for p in result.proposals])
    assert len(result.proposals) == 10 and per_placement.max() == 2


def test_capacities_are_never_exceeded_and_each_student_gets_at_most_one_proposal():
    rng = np.random.default_rng(3)
    places = [placement(j, themes=(str(rng.choice(["bouw", "ict", "robotica"])),))
              for j in range(1, 9)]
    scorer = MatchScorer(today=TODAY).fit(places)
    students = [student(i, themes=(str(rng.choice(["bouw", "ict", "robotica"])),))
                for i in range(1, 41)]
    free = {j: int(rng.integers(0, 4)) for j in range(1, 9)}
    result = run_round(scorer=scorer, students=students, free_places=free, random_state=1)
    counts = np.bincount([p.placement_id for p in result.proposals], minlength=9)
    assert all(counts[j] <= free[j] for j in free)
    assert len({p.student_id for p in result.proposals}) == len(result.proposals)
    assert len(result.proposals) == min(40, sum(free.values()))


def test_pins_and_excludes_are_respected_and_a_pin_is_explained_too():
    scorer = MatchScorer(today=TODAY).fit([placement(1), placement(2, levels=("hbo",))])
    students = [student(1), student(2)]
    result = run_round(scorer=scorer, students=students, free_places={1: 5, 2: 5},
                       pins=[(1, 2)], excludes=[(2, 1)], random_state=0)
    by_student = {p.student_id: p for p in result.proposals}
    assert by_student[1].placement_id == 2 and by_student[1].pinned
    assert by_student[1].pair.explanation.text_nl
    assert 2 not in by_student and result.no_admissible == (2,)


def test_students_with_nothing_to_match_on_are_reported_not_given_random_proposals():
    scorer = MatchScorer(today=TODAY).fit([placement(1)])
    result = run_round(scorer=scorer, students=[student(1, themes=(), interests="")],
                       free_places={1: 3})
    assert result.proposals == () and result.insufficient == (1,)
    assert result.summary()["insufficient"] == 1


def test_a_full_placement_leaves_the_student_unassigned_and_says_so():
    scorer = MatchScorer(today=TODAY).fit([placement(1)])
    result = run_round(scorer=scorer, students=[student(1), student(2)], free_places={1: 1},
                       random_state=0)
    assert len(result.proposals) == 1 and len(result.unassigned) == 1


def test_the_same_seed_gives_the_same_round():
    scorer = MatchScorer(today=TODAY).fit([placement(j) for j in range(1, 4)])
    students = [student(i) for i in range(1, 10)]
    runs = [run_round(scorer=scorer, students=students, free_places={1: 1, 2: 2, 3: 3},
                      random_state=42) for _ in range(2)]
    assert [(p.student_id, p.placement_id) for p in runs[0].proposals] == \
        [(p.student_id, p.placement_id) for p in runs[1].proposals]


def test_full_placements_do_not_crowd_out_the_candidate_lists():
    # 60 equal placements of one place each; 100 equal students; only 10 candidates each.
    places = [placement(j) for j in range(1, 61)]
    scorer = MatchScorer(today=TODAY, candidates_k=10).fit(places)
    students = [student(i) for i in range(1, 101)]
    result = run_round(scorer=scorer, students=students, free_places=dict.fromkeys(
        range(1, 61), 1) | dict.fromkeys(range(1, 21), 0), random_state=0)
    assert len(result.proposals) == 40
    assert not {p.placement_id for p in result.proposals} & set(range(1, 21))
    assert len(result.unassigned) == 60 and result.no_admissible == ()


def test_students_whose_list_was_cut_short_get_a_last_pass_over_free_places():
    places = [placement(j) for j in range(1, 61)]
    scorer = MatchScorer(today=TODAY, candidates_k=5).fit(places)
    students = [student(i) for i in range(1, 101)]
    result = run_round(scorer=scorer, students=students,
                       free_places=dict.fromkeys(range(1, 61), 1), first_pass_k=3,
                       random_state=0)
    assert len(result.proposals) == 60  # every place used although lists hold only 5
    assert max(np.bincount([p.placement_id for p in result.proposals])) == 1


def test_the_last_pass_does_not_ask_again_students_whose_whole_list_was_turned_down():
    # 8 places for 10 equal students with lists of 5, and a free place none of them may take.
    places = [placement(j) for j in range(1, 9)] + [placement(9, levels=("mbo_4",))]
    scorer = MatchScorer(today=TODAY, candidates_k=5).fit(places)
    scored = []
    score = scorer.score

    def counting_score(batch, **kwargs):
        scored.append(len(batch.students))
        return score(batch, **kwargs)

    scorer.score = counting_score
    result = run_round(scorer=scorer, students=[student(i) for i in range(1, 11)],
                       free_places=dict.fromkeys(range(1, 10), 1), random_state=0)
    assert len(result.proposals) == 8 and len(result.unassigned) == 2
    # The round, then one last pass over the 3 places left; the 2 students left out had all
    # 3 on their list, so a further pass could offer them nothing.
    assert scored == [10, 5]


def test_a_pin_to_a_placement_that_is_not_open_is_reported_not_dropped():
    scorer = MatchScorer(today=TODAY).fit([placement(1)])
    result = run_round(scorer=scorer, students=[student(1)], free_places={1: 1},
                       pins=[(1, 99)], random_state=0)
    assert [(r.student_id, r.placement_id, r.reason) for r in result.refused_pins] == \
        [(1, 99, "not_open")]
    assert len(result.proposals) == 1


def test_a_student_whose_only_fitting_placements_are_excluded_has_nothing_that_fits():
    scorer = MatchScorer(today=TODAY).fit([placement(1)])
    result = run_round(scorer=scorer, students=[student(1)], free_places={1: 1},
                       excludes=[(1, 1)], random_state=0)
    assert result.no_admissible == (1,) and result.unassigned == ()
