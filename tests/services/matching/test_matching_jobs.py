"""How many processes or threads a round scores in: MATCHING_JOBS, or one per core."""

import os

from app.config import build_config
from app.services.matching.scorer import matching_jobs


def test_matching_jobs_set_in_the_configuration_is_used(app):
    app.config["MATCHING_JOBS"] = 3
    with app.app_context():
        assert matching_jobs() == 3


def test_no_matching_jobs_set_means_one_per_core_the_process_may_use(app):
    app.config["MATCHING_JOBS"] = 0
    with app.app_context():
        assert matching_jobs() == len(os.sched_getaffinity(0))


def test_outside_the_app_a_round_scores_in_one_process():
    assert matching_jobs() == 1


def test_matching_jobs_is_read_from_the_environment(tmp_path):
    config = build_config({"TALENTMATCH_ENV": "testing"}, str(tmp_path),
                          environ={"MATCHING_JOBS": "4"})
    assert config["MATCHING_JOBS"] == 4
