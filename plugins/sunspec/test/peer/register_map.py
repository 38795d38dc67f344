"""The register image a simulated SunSpec device serves, built from model blocks or from a real device's dump.

What: RegisterImage = a run of holding registers from `start` (value or None = unreadable, the real device answered
an error there); ModelBlock = one model as it sits on the wire (ID, declared L, L data registers); the SunS chain
walk over an image, and its re-assembly at another base (relocation, changed lengths, marker faults).
Thread-safety: plain data, used from the simulator's one asyncio thread.
Errors: MapError naming the file/line or the address and what is wrong.
"""

import csv
from dataclasses import dataclass, field

SUNS_MARKER = (0x5375, 0x6E53)  # "SunS"
END_MODEL_ID = 0xFFFF


class MapError(Exception):
    pass


@dataclass
class ModelBlock:
    model_id: int
    length: int  # what the L register declares
    data: list  # `length` registers (int, or None when unreadable)
    header_unreadable: bool = False


@dataclass
class RegisterImage:
    start: int
    regs: list = field(default_factory=list)

    @property
    def end(self):  # one past the last register
        return self.start + len(self.regs)

    def contains(self, address, count=1):
        return self.start <= address and address + count <= self.end

    def readable(self, address, count):
        return self.contains(address, count) and all(
            self.regs[a - self.start] is not None for a in range(address, address + count))

    def get(self, address, count):
        return [self.regs[a - self.start] for a in range(address, address + count)]

    def set(self, address, values):
        for i, v in enumerate(values):
            self.regs[address - self.start + i] = v & 0xFFFF


def load_dump(path):
    """address,value_hex,value_u16 rows (an empty value = unreadable) -> RegisterImage. Addresses must be
    consecutive."""
    regs = []
    start = None
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != ["address", "value_hex", "value_u16"]:
            raise MapError(f"{path}: line 1: expected header address,value_hex,value_u16, got {header}")
        for line, row in enumerate(reader, start=2):
            if len(row) != 3:
                raise MapError(f"{path}: line {line}: expected 3 fields, got {len(row)}")
            try:
                address = int(row[0])
                value = None if row[2] == "" else int(row[2])
            except ValueError as e:
                raise MapError(f"{path}: line {line}: {e}") from e
            if start is None:
                start = address
            if address != start + len(regs):
                raise MapError(f"{path}: line {line}: address {address}, expected {start + len(regs)}")
            if value is not None and not 0 <= value <= 0xFFFF:
                raise MapError(f"{path}: line {line}: value {value} is not a 16-bit register")
            regs.append(value)
    if start is None:
        raise MapError(f"{path}: no registers")
    return RegisterImage(start, regs)


def walk_chain(image, base):
    """The model blocks after the SunS marker at `base`, up to the end marker (or the end of the image)."""
    if not image.readable(base, 2) or tuple(image.get(base, 2)) != SUNS_MARKER:
        raise MapError(f"no SunS marker at {base}")
    blocks = []
    address = base + 2
    while image.contains(address, 2):
        model_id, length = image.get(address, 2)
        if model_id is None or length is None:
            raise MapError(f"model header at {address} is unreadable; cannot walk the chain")
        if model_id == END_MODEL_ID:
            return blocks
        if not image.contains(address + 2, length):
            raise MapError(f"model {model_id} at {address} declares {length} registers past the end of the map")
        blocks.append(ModelBlock(model_id, length, image.get(address + 2, length)))
        address += 2 + length
    return blocks


def assemble(base, blocks, marker=SUNS_MARKER):
    """SunS marker at `base`, the blocks, then the end model (0xFFFF, 0)."""
    regs = list(marker)
    for b in blocks:
        if len(b.data) != b.length:
            raise MapError(f"model {b.model_id}: {len(b.data)} data registers but L = {b.length}")
        regs += [b.model_id, b.length] + list(b.data)
    regs += [END_MODEL_ID, 0]
    return RegisterImage(base, regs)


def block_addresses(base, blocks):
    """The address of each block's ID register."""
    address = base + 2
    out = []
    for b in blocks:
        out.append(address)
        address += 2 + b.length
    return out
