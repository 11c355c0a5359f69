"""The pure parts of benchmarks/serving.py: the Zipf hit-ratio replay and the core arithmetic."""

import random

import pytest

from benchmarks.serving import (
    LRU,
    estimate,
    parse_wrk,
    prose,
    simulate_hit_ratio,
    zipf_cumulative,
    zipf_sample,
)


def test_zipf_cumulative_ends_at_one_and_rank_one_is_the_most_popular():
    cdf = zipf_cumulative(1000, 1.1)
    assert cdf[-1] == pytest.approx(1.0)
    assert all(a < b for a, b in zip(cdf, cdf[1:], strict=False))
    # P(rank 1) = 1 / H(n, s)
    harmonic = sum(1 / r**1.1 for r in range(1, 1001))
    assert cdf[0] == pytest.approx(1 / harmonic)


def test_zipf_samples_follow_the_distribution():
    cdf, rng = zipf_cumulative(100, 1.0), random.Random(1)
    draws = [zipf_sample(cdf, rng) for _ in range(50_000)]
    assert all(0 <= d < 100 for d in draws)
    assert draws.count(0) / len(draws) == pytest.approx(cdf[0], rel=0.05)
    assert draws.count(0) > 1.7 * draws.count(1)  # 1/1 against 1/2


def test_lru_evicts_the_least_recently_used_and_honours_a_ttl():
    cache = LRU(2)
    assert not cache.get_or_put("a") and not cache.get_or_put("b")
    assert cache.get_or_put("a")  # a is now the most recent
    assert not cache.get_or_put("c")  # evicts b
    assert cache.get_or_put("a") and not cache.get_or_put("b")
    timed = LRU(10, ttl=5)
    assert not timed.get_or_put("x", now=0)
    assert timed.get_or_put("x", now=4.9)
    assert not timed.get_or_put("x", now=5.0)
    assert not LRU(0).get_or_put("x") and not LRU(0).get_or_put("x")


def test_a_cache_holding_every_key_misses_only_the_first_time():
    hits = simulate_hit_ratio(
        requests=20_000,
        works=50,
        listings=0,
        entries=1_000,
        listings_change_every=None,
        work_change_share=0,
    )
    assert hits.listings == 0
    assert hits.works == hits.overall
    assert hits.works >= 1 - 50 / 20_000


def test_no_cache_means_no_hits():
    hits = simulate_hit_ratio(requests=5_000, entries=0)
    assert hits.works == hits.listings == hits.overall == 0


def test_uniform_popularity_hits_about_the_share_of_keys_cached():
    hits = simulate_hit_ratio(
        requests=200_000,
        works=1_000,
        listings=0,
        s=0.0,
        entries=500,
        listings_change_every=None,
        work_change_share=0,
    )
    assert hits.works == pytest.approx(0.5, abs=0.03)


def test_a_bigger_cache_or_steadier_listings_hit_more():
    small = simulate_hit_ratio(requests=50_000, entries=200)
    large = simulate_hit_ratio(requests=50_000, entries=5_000)
    assert large.works > small.works and large.overall > small.overall
    churning = simulate_hit_ratio(requests=50_000, listings_change_every=0.5)
    steady = simulate_hit_ratio(requests=50_000, listings_change_every=60)
    assert steady.listings > churning.listings


def test_the_core_and_replica_arithmetic():
    result = estimate(
        peak_rps=1000,
        share_listings=0.2,
        hit_works=0.9,
        hit_listings=0.5,
        per_core={"work_hit": 100, "work_miss": 10, "listing_hit": 50, "listing_miss": 5},
        queries={"work_hit": 2, "work_miss": 10, "listing_hit": 1, "listing_miss": 8},
        utilisation=0.5,
        replica_qps=1000,
        min_replicas=2,
    )
    # 720/100 + 80/10 + 100/50 + 100/5 = 7.2 + 8 + 2 + 20 = 37.2 busy cores; ÷ 0.5 → 74.4 → 75
    assert result.app_core_seconds == pytest.approx(37.2)
    assert result.app_cores == 75
    # 720×2 + 80×10 + 100×1 + 100×8 = 1440 + 800 + 100 + 800 = 3140 q/s; ÷ 500 → 6.28 → 7
    assert result.db_queries_per_second == pytest.approx(3140)
    assert result.replicas == 7


def test_a_light_load_still_keeps_the_minimum_of_replicas():
    result = estimate(
        peak_rps=1,
        share_listings=0,
        hit_works=1,
        hit_listings=0,
        per_core={"work_hit": 1000, "work_miss": 1, "listing_hit": 1, "listing_miss": 1},
        queries={"work_hit": 1, "work_miss": 1, "listing_hit": 1, "listing_miss": 1},
        min_replicas=2,
    )
    assert result.app_cores == 1 and result.replicas == 2


def test_wrk_output_is_read():
    output = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Latency Distribution
     50%  227.91ms
     75%  240.00ms
     90%  250.00ms
     99%    1.20s
  652 requests in 10.01s, 38.10MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:     65.13
Transfer/sec:      3.81MB
"""
    result = parse_wrk(output)
    assert result == {"rps": 65.13, "p50": 227.91, "p99": 1200.0, "bad": 3, "errors": 3}
    assert parse_wrk("     50%  120.00us\nRequests/sec: 1.5\n")["p50"] == pytest.approx(0.12)


def test_the_prose_has_the_words_asked_for_and_varies():
    text = prose(10_000)
    words = text.replace("<p>", " ").replace("</p>", " ").split()
    assert len(words) == 10_000
    paragraphs = text.split("\n")
    assert len(set(paragraphs)) > 0.9 * len(paragraphs)
