"""A simulated SunSpec device: its register image, the model instances in it, and the rules for writes.

What: Device = RegisterImage + one ModelView per model (address, layout from the JSON definition when one is
vendored) + the write rules (only registers of RW points; enums/bitfields must use defined symbols; percentages
within -100..100 or 0..100; optional per-point limits from the device JSON). build_from_json() lays out a device JSON
(see README.md), build_from_dump() serves a real device's register dump; both take the faults that change the map.
Thread-safety: used only from the simulator's asyncio thread.
Errors: DeviceError naming the file, model and point; write checks return a Modbus exception code instead.
"""

import json
from dataclasses import dataclass

from register_map import (END_MODEL_ID, SUNS_MARKER, MapError, ModelBlock, RegisterImage, assemble,
                          block_addresses, load_dump, walk_chain)
from sunspec_models import (ModelError, decode_raw, encode_raw, raw_to_scaled, scale_to_raw, symbol_value)

ILLEGAL_DATA_ADDRESS = 0x02
ILLEGAL_DATA_VALUE = 0x03

NO_MARKER = (0x0000, 0x0000)
WRONG_MARKER = (0x7553, 0x536E)  # "uSSn": SunS with its bytes swapped, as a device with the wrong byte order sends


class DeviceError(Exception):
    pass


class ModelView:
    """One model instance in the image: read and write its points by path, scaled by the instance's own SFs."""

    def __init__(self, image, address, model_id, length, layout):
        self.image = image
        self.address = address  # the ID register
        self.model_id = model_id
        self.length = length  # as declared by L
        self.layout = layout  # None when no definition is vendored

    def _fits(self, slot):
        return slot.offset + slot.size <= self.length + 2

    def has(self, path):
        return self.layout is not None and self.layout.has(path) and self._fits(self.layout.slot(path))

    def raw(self, path):
        slot = self.layout.slot(path)
        if not self._fits(slot):
            return None
        regs = self.image.get(self.address + slot.offset, slot.size)
        return None if any(r is None for r in regs) else decode_raw(slot, regs)

    def sf(self, slot):
        if isinstance(slot.sf, int):
            return slot.sf
        if slot.sf_path is None:
            return 0
        return self.raw(slot.sf_path)

    def get(self, path, default=None):
        """The scaled value, or `default` when the point is absent or not implemented."""
        if not self.has(path):
            return default
        slot = self.layout.slot(path)
        raw = self.raw(path)
        if raw is None:
            return default
        if slot.type in ("string", "float32", "float64") or slot.sf is None:
            return raw
        sf = self.sf(slot)
        return default if sf is None else raw_to_scaled(raw, sf)

    def set(self, path, value):
        """Writes a scaled value (None = not implemented); silently ignores points this instance does not have and
        clamps to what the register type can hold (a simulated reading never breaks the map)."""
        if not self.has(path):
            return
        slot = self.layout.slot(path)
        if value is None or slot.type in ("string", "float32", "float64") or slot.sf is None:
            raw = value
        else:
            sf = self.sf(slot)
            if sf is None:
                return
            raw = scale_to_raw(value, sf)
        self.set_raw(path, raw, clamp=True)

    def set_raw(self, path, raw, clamp=False):
        slot = self.layout.slot(path)
        if clamp and raw is not None and slot.type not in ("string", "float32", "float64"):
            bits = 16 * slot.size
            signed = slot.type in ("int16", "int32", "int64", "sunssf")
            lo, hi = (-(1 << (bits - 1)) + 1, (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 2)
            raw = min(max(int(raw), lo), hi)
        self.image.set(self.address + slot.offset, encode_raw(slot, raw))


class Device:
    def __init__(self, image, base, views, write_limits=None, behaviour=None, unit=1, description=""):
        self.image = image
        self.base = base
        self.views = views
        self.write_limits = write_limits or {}
        self.behaviour = behaviour or {}
        self.unit = unit
        self.description = description
        self._slot_at = {}
        for v in views:
            if v.layout is None:
                continue
            for s in v.layout.slots:
                if v._fits(s):
                    for a in range(s.size):
                        self._slot_at[v.address + s.offset + a] = (v, s)

    def model(self, model_id):
        for v in self.views:
            if v.model_id == model_id:
                return v
        return None

    def readable(self, address, count):
        return self.image.readable(address, count)

    def check_write(self, address, values):
        """None when the write is acceptable, else the Modbus exception code."""
        if not self.image.contains(address, len(values)):
            return ILLEGAL_DATA_ADDRESS
        touched = {}
        for a in range(address, address + len(values)):
            hit = self._slot_at.get(a)
            if hit is None or hit[1].access != "RW":
                return ILLEGAL_DATA_VALUE
            touched[(hit[0].address, hit[1].path)] = hit
        after = dict(zip(range(address, address + len(values)), values))
        for view, slot in touched.values():
            start = view.address + slot.offset
            regs = [after.get(a, self.image.regs[a - self.image.start]) for a in range(start, start + slot.size)]
            if any(r is None for r in regs) or not self._value_allowed(view, slot, regs):
                return ILLEGAL_DATA_VALUE
        return None

    def _value_allowed(self, view, slot, regs):
        raw = decode_raw(slot, regs)
        if slot.type == "string":
            return True
        if raw is None:
            return False  # "not implemented" is not a setting
        if slot.symbols and slot.type.startswith("enum"):
            return raw in {v for _, v in slot.symbols}
        if slot.symbols and slot.type.startswith("bitfield"):
            allowed = 0
            for _, bit in slot.symbols:
                allowed |= 1 << bit
            return raw & ~allowed == 0
        sf = view.sf(slot) if slot.sf is not None else 0
        if sf is None:
            return False
        value = raw_to_scaled(raw, sf)
        limits = self.write_limits.get(f"{view.model_id}.{slot.path}")
        if limits is not None:
            return limits[0] <= value <= limits[1]
        units = (slot.units or "").strip()
        if (units.startswith("%") or units == "Pct") and "/" not in units and "WGra" not in units:
            low = -100 if slot.type in ("int16", "int32") else 0
            return low <= value <= 100
        return True

    def write(self, address, values):
        """Stores an accepted write; returns the (view, slot) of every point it touched."""
        self.image.set(address, values)
        touched = []
        for a in range(address, address + len(values)):
            hit = self._slot_at.get(a)
            if hit is not None and hit not in touched:
                touched.append(hit)
        return touched


@dataclass
class MapFaults:
    """Faults that change the map itself: marker and declared lengths."""

    marker: tuple = SUNS_MARKER
    lengths: dict = None  # model id -> declared length

    def length_for(self, model_id):
        return (self.lengths or {}).get(model_id)


def _resize(block, new_length):
    """A model whose declared length differs from its content: cut, or pad with not-implemented 0xFFFF."""
    data = list(block.data[:new_length]) + [0xFFFF] * max(0, new_length - len(block.data))
    return ModelBlock(block.model_id, new_length, data)


def _views(image, base, blocks, library):
    views = []
    for address, b in zip(block_addresses(base, blocks), blocks):
        layout = None
        if library.definition(b.model_id) is not None:
            try:
                layout = library.layout_for_length(b.model_id, b.length)
            except ModelError:
                layout = None
        views.append(ModelView(image, address, b.model_id, b.length, layout))
    return views


def _apply_map_faults(blocks, faults):
    out = []
    for b in blocks:
        n = faults.length_for(b.model_id)
        out.append(_resize(b, n) if n is not None else b)
    return out


def build_from_dump(path, library, base=None, faults=MapFaults()):
    """Serves a dump. Unreadable registers stay unreadable; --base relocates it (by whole blocks when the chain can be
    walked, else the raw run)."""
    try:
        dump = load_dump(path)
    except MapError as e:
        raise DeviceError(str(e)) from e
    try:
        blocks = walk_chain(dump, dump.start)
    except MapError as e:
        if faults.lengths or faults.marker != SUNS_MARKER:
            raise DeviceError(f"{path}: {e}: cannot apply map faults") from e
        image = RegisterImage(dump.start if base is None else base, dump.regs)
        return Device(image, image.start, [], description=str(path))
    target = dump.start if base is None else base
    blocks = _apply_map_faults(blocks, faults)
    image = assemble(target, blocks, faults.marker)
    # Registers the dump has after the end model are served too (unless lengths changed: they no longer line up).
    if not faults.lengths:
        tail = dump.regs[len(image.regs):]
        image.regs += tail
    return Device(image, target, _views(image, target, blocks, library), description=str(path))


def build_from_json(path, library, base=None, unit=None, faults=MapFaults()):
    try:
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise DeviceError(f"{path}: {e}") from e
    where = str(path)
    target = base if base is not None else spec.get("base", 40000)
    models = spec.get("models")
    if not isinstance(models, list) or not models:
        raise DeviceError(f"{where}: 'models' must be a non-empty list")
    blocks, plans = [], []
    for i, m in enumerate(models):
        mwhere = f"{where}: models[{i}]"
        if not isinstance(m, dict) or not isinstance(m.get("id"), int):
            raise DeviceError(f"{mwhere}: each model needs an integer 'id'")
        groups = m.get("groups", {})
        counts = {name: (len(v) if isinstance(v, list) else 1) for name, v in groups.items()}
        try:
            layout = library.layout(m["id"], counts)
        except ModelError as e:
            raise DeviceError(f"{mwhere}: {e}") from e
        for name in groups:
            if name not in layout.groups:
                raise DeviceError(f"{mwhere}: model {m['id']} has no group {name}")
        blocks.append(ModelBlock(m["id"], layout.length, [0xFFFF] * layout.length))
        plans.append((m, layout, mwhere))
    # Lay out with the definitions' lengths first, fill values, then apply declared-length quirks.
    image = assemble(target, blocks)
    views = [ModelView(image, a, b.model_id, b.length, layout)
             for a, b, (_, layout, _) in zip(block_addresses(target, blocks), blocks, plans)]
    for view, (m, layout, mwhere) in zip(views, plans):
        for s in layout.slots:  # every point starts "not implemented"
            view.set_raw(s.path, None)
        view.set_raw("ID", m["id"])
        view.set_raw("L", layout.length)
        _fill(view, layout, m, mwhere)
    filled = [ModelBlock(b.model_id, b.length, image.get(v.address + 2, b.length)) for b, v in zip(blocks, views)]
    for i, (m, _, _) in enumerate(plans):
        if "length" in m:
            filled[i] = _resize(filled[i], int(m["length"]))
    filled = _apply_map_faults(filled, faults)
    final = assemble(target, filled, faults.marker)
    final_views = []
    for address, b, (_, layout, _) in zip(block_addresses(target, filled), filled, plans):
        final_views.append(ModelView(final, address, b.model_id, b.length, layout))
    return Device(final, target, final_views, write_limits=spec.get("write_limits"),
                  behaviour=spec.get("behaviour", {}), unit=unit if unit is not None else spec.get("unit", 1),
                  description=spec.get("description", where))


def _fill(view, layout, m, where):
    groups = m.get("groups", {})
    instances = [("", m.get("points", {}))]
    for name, v in groups.items():
        if isinstance(v, list):
            instances += [(f"{name}[{i + 1}].", pts) for i, pts in enumerate(v)]
        else:
            instances.append((f"{name}.", v))
    for prefix, points in instances:
        if not isinstance(points, dict):
            raise DeviceError(f"{where}: points of {prefix or 'the model'} must be an object")
        known = {s.name for s in layout.slots if s.path == prefix + s.name}
        for name in points:
            if name not in known:
                raise DeviceError(f"{where}: model {m['id']} has no point {prefix}{name}")
        # A count point (160's N) follows the number of instances of the model's repeating group unless given.
        repeating = [c for g, c in layout.groups.items() if g in groups and isinstance(groups[g], list)]
        for s in layout.slots:
            if s.type == "count" and s.path == prefix + s.name and s.name not in points:
                view.set_raw(s.path, repeating[0] if repeating else 0)
        ordered = sorted(points.items(), key=lambda kv: 0 if layout.slot(prefix + kv[0]).type == "sunssf" else 1)
        for name, value in ordered:
            slot = layout.slot(prefix + name)
            try:
                value = symbol_value(slot, value)
                if slot.type in ("string", "float32", "float64", "sunssf") or slot.sf is None or value is None:
                    view.set_raw(slot.path, value)
                else:
                    sf = view.sf(slot)
                    if sf is None:
                        raise DeviceError(f"{where}: model {m['id']} point {slot.path}: set {slot.sf} first")
                    view.set_raw(slot.path, scale_to_raw(value, sf))
            except ModelError as e:
                raise DeviceError(f"{where}: model {m['id']}: {e}") from e


__all__ = ["Device", "DeviceError", "MapFaults", "ModelView", "build_from_dump", "build_from_json",
           "ILLEGAL_DATA_ADDRESS", "ILLEGAL_DATA_VALUE", "NO_MARKER", "WRONG_MARKER", "END_MODEL_ID"]
