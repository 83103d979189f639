"""PBX provisioning API gateway, wire-compatible with Kazoo's crossbar API."""

__version__ = "0.1.0"
