"""stored_frames: a frame survives encode/decode with its dtypes and missing values; what
cannot be stored is refused; a damaged payload is reported as such."""

from __future__ import annotations

import io
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from sdesk.services.platform.stored_frames import decode, encode


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame({
        "id": np.array([1, 2, 3], dtype="int64"),
        "volume": [1.5, np.nan, 3.0],
        "start": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
        "end": pd.to_datetime(["2025-12-31", None, "2025-06-30"]),
        "flag": [True, False, True],
    })
    frame["code"] = pd.Series(["01", None, "é ü"], dtype=object)
    frame["text"] = np.array(["a", "b", None], dtype=object)  # pandas may infer its str type
    return frame


def test_round_trip_keeps_values_and_dtypes() -> None:
    frame = _frame()
    payload = encode(frame, extra={"ladder": [["wmo", "02", [["02A01", 7000, "04", None]]]]})
    assert payload is not None
    back, extra = decode(payload)
    pd.testing.assert_frame_equal(back, frame)
    assert extra == {"ladder": [["wmo", "02", [["02A01", 7000, "04", None]]]]}
    assert back["code"].tolist()[1] is None and back["code"][2] == "é ü"
    assert pd.isna(back["end"][1]) and np.isnan(back["volume"][1])


def test_empty_frame() -> None:
    frame = _frame().iloc[0:0].reset_index(drop=True)
    back, extra = decode(encode(frame) or b"")
    pd.testing.assert_frame_equal(back, frame)
    assert extra is None


def test_values_json_cannot_hold_are_not_stored() -> None:
    frame = pd.DataFrame({"day": np.array([date(2025, 1, 1)], dtype=object)})
    assert encode(frame) is None


@pytest.mark.parametrize("payload", [b"", b"\x00\xff", b"PK\x03\x04 not a zip"])
def test_damaged_payload(payload: bytes) -> None:
    with pytest.raises(ValueError, match="geen opgeslagen tabel"):
        decode(payload)


def test_text_columns_are_joined_and_fall_back_to_json_when_they_must() -> None:
    columns = {
        "plain": ["a", "", None, "é"],
        "empty": [None, None, None, None],
        "nan": ["a", np.nan, None, "b"],  # NaN and None both kept
        "separator": ["a\x1fb", "c", None, ""],
        "number": ["a", 1, None, "b"],
    }
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    frame["string"] = pd.Series(["x", None, "z", ""], dtype="str")
    payload = encode(frame) or b""
    with np.load(io.BytesIO(payload)) as stored:
        kinds = {name: kind for name, kind, _ in json.loads(
            stored["__header__"].tobytes())["columns"]}
    assert kinds == {"plain": "joined", "empty": "joined", "nan": "json", "separator": "json",
                     "number": "json", "string": "joined"}
    back, _ = decode(payload)
    pd.testing.assert_frame_equal(back, frame)
    assert back["plain"].tolist() == ["a", "", None, "é"]
    assert back["nan"][2] is None and isinstance(back["nan"][1], float)
    assert back["separator"][0] == "a\x1fb" and back["number"][1] == 1
