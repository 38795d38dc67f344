"""--fault SPEC parsing: what the simulated device does wrong.

What: exception:<start>-<end> (reads touching the range answer ILLEGAL DATA ADDRESS), timeout:<start>-<end> (no
answer at all to requests touching it), drop-after:<n>[:once] (close the TCP connection after it served n requests;
`once`: only the first connection, later ones are served normally), no-marker, wrong-marker (SunS byte-swapped),
length:<model id>:<len> (that model declares `len` registers: its content cut or padded), slow:<ms> (every answer
delayed). Addresses are Modbus PDU addresses (the ones the dump and the device JSON use), ranges inclusive.
Thread-safety: immutable after parsing.
Errors: FaultError naming the spec and what is wrong.
"""

from dataclasses import dataclass, field

from device import NO_MARKER, WRONG_MARKER, MapFaults
from register_map import SUNS_MARKER


class FaultError(Exception):
    pass


@dataclass
class Faults:
    exception_ranges: list = field(default_factory=list)
    timeout_ranges: list = field(default_factory=list)
    drop_after: int | None = None
    drop_once: bool = False
    marker: tuple = SUNS_MARKER
    lengths: dict = field(default_factory=dict)
    slow_ms: int = 0

    def map_faults(self):
        return MapFaults(marker=self.marker, lengths=dict(self.lengths))

    @staticmethod
    def _touches(ranges, address, count):
        return any(address <= end and start <= address + count - 1 for start, end in ranges)

    def raises_exception(self, address, count):
        return self._touches(self.exception_ranges, address, count)

    def times_out(self, address, count):
        return self._touches(self.timeout_ranges, address, count)


def _int(text, spec, what):
    try:
        value = int(text, 0)
    except ValueError:
        raise FaultError(f"--fault {spec}: {what} '{text}' is not an integer") from None
    if value < 0:
        raise FaultError(f"--fault {spec}: {what} {value} is negative")
    return value


def _range(text, spec):
    start, sep, end = text.partition("-")
    if not sep:
        raise FaultError(f"--fault {spec}: expected <start>-<end>")
    lo, hi = _int(start, spec, "start"), _int(end, spec, "end")
    if hi < lo or hi > 0xFFFF:
        raise FaultError(f"--fault {spec}: range {lo}-{hi} is empty or beyond 65535")
    return (lo, hi)


def parse_faults(specs):
    faults = Faults()
    for spec in specs:
        kind, _, arg = spec.partition(":")
        if kind == "exception":
            faults.exception_ranges.append(_range(arg, spec))
        elif kind == "timeout":
            faults.timeout_ranges.append(_range(arg, spec))
        elif kind == "drop-after":
            count, _, mode = arg.partition(":")
            if mode not in ("", "once"):
                raise FaultError(f"--fault {spec}: expected drop-after:<n> or drop-after:<n>:once")
            faults.drop_after = _int(count, spec, "request count")
            faults.drop_once = mode == "once"
            if faults.drop_after < 1:
                raise FaultError(f"--fault {spec}: the request count must be at least 1")
        elif kind == "no-marker" and not arg:
            faults.marker = NO_MARKER
        elif kind == "wrong-marker" and not arg:
            faults.marker = WRONG_MARKER
        elif kind == "length":
            model, sep, length = arg.partition(":")
            if not sep:
                raise FaultError(f"--fault {spec}: expected length:<model id>:<len>")
            faults.lengths[_int(model, spec, "model id")] = _int(length, spec, "length")
        elif kind == "slow":
            faults.slow_ms = _int(arg, spec, "delay (ms)")
        else:
            raise FaultError(f"--fault {spec}: unknown fault (exception:<a>-<b>, timeout:<a>-<b>, drop-after:<n>, "
                             "no-marker, wrong-marker, length:<model>:<len>, slow:<ms>)")
    return faults
