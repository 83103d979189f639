"""Operations: Prometheus metrics at /metrics, JSON logs and the access log."""
