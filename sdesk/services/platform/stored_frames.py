"""Computed tables kept in the database between sessions (table stored_frame).

Some working sets cost more to read than to keep: the worklist's inputs take a second or more
to gather from the allocations and claims of a large municipality, and a new process (the
`sdesk` command, the application after a restart) would otherwise gather them again. They are
stored in the database file itself, so they are encrypted with it and never outlive it.

The format is numpy's .npz without pickles (a database file from elsewhere cannot make us run
code): numeric and datetime columns as arrays; text columns as their strings joined by a
separator they do not contain plus a mask of the missing (None) values, or, when they hold
anything else, as JSON; and a JSON header with the column order and a JSON `extra`. A frame
with values JSON cannot hold is not stored.
Everything here is a cache: a missing, damaged or unreadable entry just means "compute".
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform import stored_values

_HEADER = "__header__"


def encode(frame: pd.DataFrame, extra: Any = None) -> bytes | None:
    """The frame (and a JSON-able `extra`) as bytes; None when a value cannot be stored."""
    arrays: dict[str, np.ndarray] = {}
    columns = []
    try:
        for i, (name, column) in enumerate(frame.items()):
            values = column.to_numpy()
            if values.dtype == object:  # text: object or pandas' string type
                joined = _joined(values, None if column.dtype == object
                                 else column.isna().to_numpy())
                if joined is not None:
                    arrays[f"c{i}"], arrays[f"m{i}"] = joined
                    columns.append([str(name), "joined", column.dtype.name])
                    continue
                arrays[f"c{i}"] = _text_array(json.dumps(values.tolist()))
                columns.append([str(name), "json", column.dtype.name])
            else:
                arrays[f"c{i}"] = values
                columns.append([str(name), "array", column.dtype.name])
        arrays[_HEADER] = _text_array(json.dumps({"columns": columns, "rows": len(frame),
                                                  "extra": extra}))
    except (TypeError, ValueError):
        return None
    buffer = io.BytesIO()
    # numpy's default spelled out, so that mypy does not match **arrays against it
    np.savez(buffer, allow_pickle=True, **arrays)
    return buffer.getvalue()


def decode(payload: bytes) -> tuple[pd.DataFrame, Any]:
    """(frame, extra) from encode(); ValueError when the payload is not one."""
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as stored:
            header = json.loads(_text(stored[_HEADER]))
            index = pd.RangeIndex(header["rows"])
            data: dict[str, pd.Series] = {}
            for i, (name, kind, dtype) in enumerate(header["columns"]):
                values = stored[f"c{i}"]
                if kind == "joined":
                    values = _split(values, stored[f"m{i}"])
                elif kind == "json":
                    items = json.loads(_text(values))
                    values = np.empty(len(items), dtype=object)
                    values[:] = items
                # The dtype as it was: pandas would otherwise make text columns its string
                # type, or leave them object, as it sees fit.
                data[name] = pd.Series(values, index=index, dtype=dtype, copy=False)
    except (OSError, EOFError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise ValueError(f"geen opgeslagen tabel: {exc}") from exc
    return pd.DataFrame(data, index=index, copy=False), header["extra"]


# Joining strings is ten times faster than JSON (a quarter second on the worklist's inputs);
# the unit separator does not occur in the texts sdesk keeps, and a column where it does goes
# to JSON instead.
_SEPARATOR = "\x1f"


def _joined(values: np.ndarray, missing: np.ndarray | None) -> tuple[np.ndarray,
                                                                      np.ndarray] | None:
    """(joined UTF-8 text, missing mask) of an object array of strings and None (`missing`
    None), or of strings and the missing values `missing` marks (pandas' string type, whose
    missing values are NaN); None when it holds anything else or a string with the
    separator."""
    if missing is None:
        try:
            # numpy's stubs reject None here; on an object array it compares elementwise.
            missing = np.asarray(np.equal(values, None), dtype=bool)  # type: ignore[call-overload]
        except TypeError:  # pd.NA will not say whether it equals None
            return None
    present = values[~missing] if missing.any() else values
    try:
        text = _SEPARATOR.join(present.tolist())
    except TypeError:
        return None
    if text.count(_SEPARATOR) != max(len(present) - 1, 0):
        return None
    return _text_array(text), missing


def _split(text: np.ndarray, missing: np.ndarray) -> np.ndarray:
    values = np.full(len(missing), None, dtype=object)
    if not missing.all():
        values[~missing] = _text(text).split(_SEPARATOR)
    return values


def _text_array(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(values: np.ndarray) -> str:
    return values.tobytes().decode("utf-8")


def save(engine: Engine, kind: str, key: str, frame: pd.DataFrame, extra: Any = None,
         keep: int = 2) -> bool:
    """Store the frame under (kind, key), keeping only the `keep` newest entries of the kind.
    False when it was not stored (unstorable values, the database busy or read-only)."""
    payload = encode(frame, extra)
    return payload is not None and stored_values.put(engine, kind, key, payload, keep)


def load(engine: Engine, kind: str, key: str) -> tuple[pd.DataFrame, Any] | None:
    """The stored (frame, extra) under (kind, key), or None (absent or unreadable)."""
    payload = stored_values.get(engine, kind, key)
    if payload is None:
        return None
    try:
        return decode(payload)
    except ValueError:
        return None


def drop(engine: Engine, kind: str | None = None) -> None:
    """Forget the stored frames (of one kind)."""
    with engine.begin() as conn:
        if kind is None:
            conn.exec_driver_sql("DELETE FROM stored_frame")
        else:
            conn.exec_driver_sql("DELETE FROM stored_frame WHERE kind = ?", (kind,))
