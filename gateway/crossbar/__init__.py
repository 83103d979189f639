"""The crossbar pipeline: it names no resource."""
