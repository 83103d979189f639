"""Token-bucket arithmetic: refill, lease shares, reported figures."""

from __future__ import annotations

from gateway.ratelimit.bucket import Limit, Verdict, tightest

LIMIT = Limit(capacity=100, per_second=10.0)


def test_a_bucket_refills_at_its_rate_up_to_its_capacity() -> None:
    assert LIMIT.refilled(0.0, at=100.0, now=102.5) == 25.0
    assert LIMIT.refilled(90.0, at=100.0, now=200.0) == 100.0
    assert LIMIT.refilled(5.0, at=100.0, now=99.0) == 5.0  # a clock step back adds nothing


def test_a_share_is_a_tenth_of_the_burst_or_a_second_of_refill_but_never_below_the_cost() -> None:
    assert LIMIT.share(1) == 10.0
    assert Limit(100, 2.0).share(1) == 2.0
    assert Limit(5, 1.0).share(1) == 1.0
    assert LIMIT.share(35) == 35.0


def test_a_verdict_reports_whole_tokens_and_the_second_the_bucket_is_full() -> None:
    verdict = Verdict(LIMIT, consumed=1, remaining=40.7, now=1000.2)
    assert verdict.headers() == {
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "40",
        "X-RateLimit-Reset": "1007",  # 1000.2 + 59.3 / 10, rounded up
    }
    assert verdict.tokens() == {"consumed": 1, "remaining": 40}
    assert Verdict(LIMIT, 0, -3.0, 10.0).tokens()["remaining"] == 0


def test_the_reply_reports_the_bucket_closest_to_empty() -> None:
    roomy = Verdict(LIMIT, 1, 90.0, 0.0)
    tight = Verdict(Limit(10, 1.0), 1, 2.0, 0.0)
    assert tightest([roomy, tight]) is tight
    assert tightest([]) is None
