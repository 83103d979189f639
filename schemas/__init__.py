"""Marshmallow schemas for every resource, with Kazoo's rules and error shapes."""
