"""SunSpec model definitions (the SunSpec Alliance JSON form) -> register layouts, and the point codec.

What: loads plugins/sunspec/models/model_<id>.json, lays a model out as register slots (points in order, then its
groups, repeated as often as the instance says), and converts point values between engineering units and registers
(value = raw x 10^SF; the "not implemented" sentinels of each type mean None).
Thread-safety: pure functions and immutable results; the loader caches definitions (one thread, the simulator's).
Errors: ModelError naming the model, the point and what is wrong.
"""

import json
import math
import struct
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"

# Registers per point type; strings use the point's own size.
TYPE_SIZES = {
    "int16": 1, "uint16": 1, "count": 1, "acc16": 1, "enum16": 1, "bitfield16": 1, "pad": 1, "sunssf": 1,
    "int32": 2, "uint32": 2, "acc32": 2, "enum32": 2, "bitfield32": 2, "ipaddr": 2, "float32": 2,
    "int64": 4, "uint64": 4, "acc64": 4, "float64": 4, "eui48": 4, "ipv6addr": 8,
}

# The raw value a device sends for "not implemented" (as an unsigned register pattern).
UNIMPLEMENTED = {
    "int16": 0x8000, "sunssf": 0x8000, "uint16": 0xFFFF, "count": 0xFFFF, "enum16": 0xFFFF, "bitfield16": 0xFFFF,
    "acc16": 0, "pad": 0x8000,
    "int32": 0x80000000, "uint32": 0xFFFFFFFF, "enum32": 0xFFFFFFFF, "bitfield32": 0xFFFFFFFF, "acc32": 0,
    "ipaddr": 0, "float32": 0x7FC00000,
    "int64": 0x8000000000000000, "uint64": 0xFFFFFFFFFFFFFFFF, "acc64": 0, "float64": 0x7FF8000000000000,
}

SIGNED_TYPES = {"int16", "sunssf", "int32", "int64"}


class ModelError(Exception):
    pass


@dataclass(frozen=True)
class Slot:
    """One point of one model instance: where it is (offset from the model's ID register) and how to read it."""

    name: str  # point name, e.g. "W"
    path: str  # group path + name, e.g. "module[1].DCW" (top-level points: just the name)
    offset: int
    size: int
    type: str
    sf: object  # None, an int, or the name of an sunssf point
    sf_path: str | None  # the resolved path of the SF point in this instance
    access: str  # "R" or "RW"
    units: str | None
    symbols: tuple  # ((name, value), ...)
    group_path: str  # "" for the top-level group, else e.g. "module[1]"


@dataclass
class Layout:
    model_id: int
    name: str
    slots: list = field(default_factory=list)
    length: int = 0  # registers after ID and L (what L declares)
    groups: dict = field(default_factory=dict)  # group name -> number of instances (top-level groups only)

    def slot(self, path):
        for s in self.slots:
            if s.path == path:
                return s
        raise ModelError(f"model {self.model_id}: no point {path}")

    def has(self, path):
        return any(s.path == path for s in self.slots)


class ModelLibrary:
    """The JSON model definitions found in one directory."""

    def __init__(self, directory=DEFAULT_MODELS_DIR):
        self.directory = Path(directory)
        self._cache = {}

    def definition(self, model_id):
        if model_id not in self._cache:
            path = self.directory / f"model_{model_id}.json"
            if not path.exists():
                self._cache[model_id] = None
            else:
                with open(path, encoding="utf-8") as f:
                    self._cache[model_id] = json.load(f)
        return self._cache[model_id]

    def require(self, model_id):
        d = self.definition(model_id)
        if d is None:
            raise ModelError(f"model {model_id}: no definition {self.directory}/model_{model_id}.json")
        return d

    def layout(self, model_id, group_counts=None):
        """The layout of one instance. group_counts: {"module": 2, ...} for repeating groups (default: 1 for fixed
        groups, 0 for repeating ones whose definition count is 0 or a point name)."""
        return lay_out(self.require(model_id), group_counts or {})

    def layout_for_length(self, model_id, length):
        """The layout a device declaring `length` registers implies: repeating groups (count 0) fill the rest."""
        d = self.require(model_id)
        fixed = lay_out(d, {}).length
        counts = {}
        for g in d["group"].get("groups", []):
            if g.get("count", 1) != 1 and group_size(g) > 0:
                counts[g["name"]] = max(0, (length - fixed) // group_size(g))
        return lay_out(d, counts)


def group_size(group):
    """Registers of one instance of a group (nested groups counted once)."""
    return sum(point_size(p) for p in group["points"]) + sum(group_size(g) for g in group.get("groups", []))


def point_size(point):
    t = point["type"]
    if t == "string":
        return int(point["size"])
    if t not in TYPE_SIZES:
        raise ModelError(f"point {point['name']}: unknown type {t}")
    return TYPE_SIZES[t]


def lay_out(model_def, group_counts):
    top = model_def["group"]
    layout = Layout(model_id=int(model_def["id"]), name=top["name"])
    offset = _lay_group(layout, top, "", 0, top, group_counts, top_level=True)
    layout.length = offset - 2
    return layout


def _lay_group(layout, group, prefix, offset, top, group_counts, top_level):
    for p in group["points"]:
        size = point_size(p)
        sf = p.get("sf")
        sf_path = None
        if isinstance(sf, str):
            if any(q["name"] == sf for q in group["points"]):
                sf_path = prefix + sf
            elif any(q["name"] == sf for q in top["points"]):
                sf_path = sf
            else:
                raise ModelError(f"model {layout.model_id}: scale factor {sf} of {prefix}{p['name']} not found")
        layout.slots.append(Slot(
            name=p["name"], path=prefix + p["name"], offset=offset, size=size, type=p["type"], sf=sf,
            sf_path=sf_path, access=p.get("access", "R"), units=p.get("units"),
            symbols=tuple((s["name"], s["value"]) for s in p.get("symbols", [])),
            group_path=prefix[:-1] if prefix else ""))
        offset += size
    for g in group.get("groups", []):
        declared = g.get("count", 1)
        count = group_counts.get(g["name"], 1 if declared == 1 else 0) if top_level else (
            1 if declared == 1 else group_counts.get(g["name"], 0))
        if top_level:
            layout.groups[g["name"]] = count
        for i in range(count):
            sub = f"{prefix}{g['name']}[{i + 1}]." if declared != 1 else f"{prefix}{g['name']}."
            offset = _lay_group(layout, g, sub, offset, top, group_counts, top_level=False)
    return offset


# ---- codec ----------------------------------------------------------------------------------------------------------

def _raw_from_regs(regs):
    raw = 0
    for r in regs:
        raw = (raw << 16) | r
    return raw


def decode_raw(slot, regs):
    """Registers -> the raw (unscaled) value, or None when not implemented. Strings -> str."""
    t = slot.type
    if t == "string":
        data = b"".join(struct.pack(">H", r) for r in regs)
        if not data or data[0] == 0:
            return None
        return data.split(b"\0", 1)[0].decode("utf-8", errors="replace")
    raw = _raw_from_regs(regs)
    if t in ("float32", "float64"):
        fmt, width = (">f", 4) if t == "float32" else (">d", 8)
        v = struct.unpack(fmt, raw.to_bytes(width, "big"))[0]
        return None if math.isnan(v) else v
    if t in ("pad", "eui48", "ipv6addr"):
        return raw
    if t in UNIMPLEMENTED and raw == UNIMPLEMENTED[t]:
        return None
    if t in SIGNED_TYPES:
        bits = 16 * slot.size
        if raw >= 1 << (bits - 1):
            raw -= 1 << bits
    return raw


def encode_raw(slot, raw):
    """A raw value (or None = not implemented) -> registers. Raises ModelError when it does not fit."""
    t, n = slot.type, slot.size
    if t == "string":
        data = b"" if raw is None else str(raw).encode("utf-8")
        if len(data) > 2 * n:
            raise ModelError(f"{slot.path}: string '{raw}' longer than {2 * n} bytes")
        data = data.ljust(2 * n, b"\0")
        return [struct.unpack(">H", data[i:i + 2])[0] for i in range(0, 2 * n, 2)]
    if raw is None:
        pattern = UNIMPLEMENTED.get(t, 0)
    elif t in ("float32", "float64"):
        fmt, width = (">f", 4) if t == "float32" else (">d", 8)
        pattern = int.from_bytes(struct.pack(fmt, float(raw)), "big")
    else:
        raw = int(raw)
        bits = 16 * n
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if t in SIGNED_TYPES else (0, (1 << bits) - 1)
        if not lo <= raw <= hi:
            raise ModelError(f"{slot.path}: raw value {raw} does not fit {t}")
        pattern = raw & ((1 << bits) - 1)
    return [(pattern >> (16 * (n - 1 - i))) & 0xFFFF for i in range(n)]


def symbol_value(slot, value):
    """An enum/bitfield given by symbol name -> its number (bitfields: a list of names -> the OR of their bits)."""
    if not slot.type.startswith(("enum", "bitfield")):
        return value
    symbols = dict(slot.symbols)
    if isinstance(value, str):
        if value not in symbols:
            raise ModelError(f"{slot.path}: no symbol {value} (have {', '.join(symbols)})")
        return symbols[value] if slot.type.startswith("enum") else 1 << symbols[value]
    if isinstance(value, list) and slot.type.startswith("bitfield"):
        raw = 0
        for v in value:
            raw |= symbol_value(slot, v)
        return raw
    return value


def scale_to_raw(value, sf):
    if value is None:
        return None
    return int(round(value / (10.0 ** (sf or 0))))


def raw_to_scaled(raw, sf):
    if raw is None:
        return None
    if not sf:
        return raw
    return raw * (10.0 ** sf)
