#!/usr/bin/python3
# Writes the seed corpus of fuzz_sunspec_decoder (fuzz_sunspec_decoder.cpp has the input format) from the real
# and emulated register dumps in testdata/sunspec/devices (sources and licence: testdata/sunspec/LICENSE and the
# top-level testdata/README.md): each dump as a register image at 40000, one moved to 50000 (where the marker is
# probed second), one with its first models only, and the head of a dump as CSV text.
# Usage (from the repository root): /usr/bin/python3 plugins/sunspec/fuzz/make_corpus.py
import csv
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[3]
DEVICES = ROOT / "testdata/sunspec/devices"
OUT = pathlib.Path(__file__).resolve().parent / "corpus"
PROBE_BASES = [40000, 50000, 0, 4096, 1, 40001]


def registers(path):
    with open(path, newline="") as f:
        return [(int(r["address"]), int(r["value_hex"], 16) if r["value_hex"] else None) for r in csv.DictReader(f)]


def chunks(regs):
    """The chunk form: runs of readable words and of unreadable registers, at most 255 each."""
    out = bytearray()
    run, readable = [], None
    def flush():
        if run:
            out.extend([0 if readable else 1, len(run)])
            if readable:
                for w in run:
                    out.extend(w.to_bytes(2, "big"))
    for _, w in regs:
        if (w is not None) != readable or len(run) == 255:
            flush()
            run, readable = [], w is not None
        run.append(w)
    flush()
    return bytes(out)


OUT.mkdir(exist_ok=True)
for old in OUT.iterdir():
    old.unlink()
for path in sorted(DEVICES.glob("*.csv")):
    regs = registers(path)
    assert regs[0][0] == 40000 and all(a == 40000 + i for i, (a, _) in enumerate(regs)), path
    (OUT / f"{path.stem}.bin").write_bytes(bytes([PROBE_BASES.index(40000)]) + chunks(regs))
first = sorted(DEVICES.glob("*.csv"))[0]
regs = registers(first)
(OUT / "moved_to_50000.bin").write_bytes(bytes([PROBE_BASES.index(50000)]) + chunks(regs))
(OUT / "first_models.bin").write_bytes(bytes([0]) + chunks(regs[:200] + [(0, 0xFFFF), (0, 0)]))
head = "".join(first.read_text().splitlines(keepends=True)[:120])
(OUT / "dump_head.csv").write_bytes(b"\x80" + head.encode())
