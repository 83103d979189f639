"""Benchmark harness: the gateway under wrk, against a bare aiohttp server on the same core."""
