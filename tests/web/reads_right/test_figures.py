"""Figures show how many beside a share, and the fairness page starts with a plain sentence
(issue 21)."""

from __future__ import annotations

import re

from matching.fairness_strata import NO_LARGE_GROUP, WORST


def _chart(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index("</figure>", start)]


def test_the_funnel_writes_each_share_with_its_count_in_dutch(world, login):
    page = login(world.home.coordinator).get("/monitor/").get_data(as_text=True)
    funnel = _chart(page, "chart-funnel-girl")
    # Took part: all of them (100,0%), one girl; then nobody got a proposal yet.
    values = re.findall(r'class="chart-value">([^<]*)<', funnel)
    assert values[0] == "100,0% (1)"
    assert values[1] == "0,0% (0)"


def test_the_girls_share_tile_says_how_many_girls_of_how_many(world, login):
    page = login(world.home.coordinator).get("/home").get_data(as_text=True)
    assert re.search(r"\d+ van de \d+ die hun gender opgaven", page)


def test_the_fairness_page_leads_with_a_plain_sentence_before_any_figure(world, login):
    page = login(world.home.coordinator).get("/fairness/").get_data(as_text=True)
    verdict = page.index('data-testid="fairness-verdict"')
    assert verdict < page.index("Gender is nooit invoer voor het matchen")
    assert "Er is nog geen matchronde gemeten" in page[verdict:verdict + 300]


def test_a_measured_round_is_summed_up_in_words(app):
    from app.services.fairness_headline import verdict

    def audit(low, high):
        return {"headline": {"status": WORST, "ratio": {"value": 1, "low": low, "high": high}}}

    with app.test_request_context():
        assert "duidelijk minder vaak" in verdict(audit(0.4, 0.8))
        assert "geen duidelijk verschil" in verdict(audit(0.7, 1.3))
        assert "vaker" in verdict(audit(1.2, 1.6))
        assert "nog niet vergelijken" in verdict({"headline": {"status": NO_LARGE_GROUP}})
