"""Media documents against Kazoo's media.json facts."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.crossbar.errors import InvalidData
from gateway.crossbar.validation import load
from schemas.media import MediaSchema


def make_media(**overrides: Any) -> dict[str, Any]:
    """A minimal valid media body."""
    return {"name": "Greeting", **overrides}


def errors_of(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidData) as caught:
        load(MediaSchema, data)
    errors: dict[str, Any] = caught.value.data
    return errors


def test_minimal_media_gets_exactly_kazoos_defaults() -> None:
    assert load(MediaSchema, make_media()) == {
        "name": "Greeting",
        "media_source": "upload",
        "language": "en-us",
        "streamable": True,
        "tts": {"voice": "female/en-US"},
    }


def test_tts_text_keeps_default_voice() -> None:
    loaded = load(MediaSchema, make_media(media_source="tts", tts={"text": "Hello"}))
    assert loaded["tts"] == {"text": "Hello", "voice": "female/en-US"}


def test_unknown_keys_are_kept() -> None:
    loaded = load(MediaSchema, make_media(ui_metadata={"version": "4.3"}, tts={"speed": 2}))
    assert loaded["ui_metadata"] == {"version": "4.3"}
    assert loaded["tts"]["speed"] == 2


def test_missing_name_is_required() -> None:
    assert errors_of({"media_source": "upload"}) == {
        "name": {"required": {"message": "Field is required but missing", "value": "name"}}
    }


def test_bad_media_source_fails_enum() -> None:
    assert errors_of(make_media(media_source="stream")) == {
        "media_source": {
            "enum": {
                "message": "Value not found in enumerated list of values",
                "target": ["recording", "upload", "tts"],
                "value": "stream",
            }
        }
    }


def test_content_length_bounds() -> None:
    assert "minimum" in errors_of(make_media(content_length=0))["content_length"]
    too_big = errors_of(make_media(content_length=11534337))
    assert too_big["content_length"]["maximum"]["target"] == 11534336
    assert load(MediaSchema, make_media(content_length="11534336"))["content_length"] == 11534336


def test_unknown_voice_and_content_type_fail_enum() -> None:
    errors = errors_of(make_media(tts={"voice": "robot"}, content_type="audio/flac"))
    assert set(errors) == {"tts.voice", "content_type"}
    assert errors["tts.voice"]["enum"]["value"] == "robot"
