"""Self-test of the SunSpec simulator through pymodbus's own client (run: /usr/bin/python3 -m unittest).

What: starts sunspec_sim.py as the plugin's tests do (READY line, SIGTERM), then checks the SunS marker at every base
the shipped devices use, the dumps served register for register (with ILLEGAL DATA ADDRESS where the real device could
not be read), the controls (124, 123, 704) acting on the simulated battery and inverter and reverting after their
timers, SoC and energy counters, refused writes, every fault, RTU over a pty, and bad arguments.
Thread-safety: one simulator process per test, on a port it picks itself.
Errors: a simulator that does not start within 20 s fails the test with its stderr.
"""

import csv
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.exceptions import ModbusException

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
SIM = HERE / "sunspec_sim.py"
DEVICES = HERE / "devices"
DUMPS = ROOT / "testdata" / "sunspec" / "devices"
PYTHON = "/usr/bin/python3"

sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE))
from register_map import load_dump  # noqa: E402
from sunspec_models import ModelLibrary, decode_raw, raw_to_scaled  # noqa: E402

ILLEGAL_DATA_ADDRESS = 2
ILLEGAL_DATA_VALUE = 3
SUNS = [0x5375, 0x6E53]


class Sim:
    """One simulator process."""

    def __init__(self, *args):
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([PYTHON, str(SIM), "--port", "0", *map(str, args)], stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True)
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 20
        line = ""
        while time.monotonic() < deadline and not line:
            if selector.select(timeout=0.2):
                line = self.proc.stdout.readline()
                if not line:
                    break
        if not line.startswith("READY "):
            self.proc.kill()
            self.stderr.seek(0)
            raise AssertionError(f"simulator did not start: {line!r} {self.stderr.read()}")
        self.where = line.split()[1]
        self.clients = []

    @property
    def port(self):
        return int(self.where)

    def client(self, timeout=2):
        c = ModbusTcpClient("127.0.0.1", port=self.port, timeout=timeout, retries=0)
        if not c.connect():
            raise AssertionError("cannot connect to the simulator")
        self.clients.append(c)
        return c

    def stop(self):
        for c in self.clients:
            c.close()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.stderr.seek(0)
        log = self.stderr.read()
        self.stderr.close()
        return code, log


def read(client, address, count, unit=1):
    try:
        r = client.read_holding_registers(address, count, slave=unit)
    except ModbusException as e:
        return e
    return r


def registers(client, address, count, unit=1):
    r = read(client, address, count, unit)
    if isinstance(r, Exception) or r.isError():
        raise AssertionError(f"read {address}+{count}: {r}")
    return r.registers


def write(client, address, values, unit=1):
    r = client.write_registers(address, values, slave=unit)
    return None if not r.isError() else r.exception_code


class Points:
    """Reads the model chain of a served map and decodes points with the JSON definitions (a test-side decoder)."""

    def __init__(self, client, base, unit=1):
        self.client = client
        self.unit = unit
        self.library = ModelLibrary()
        self.models = {}
        address = base + 2
        while True:
            model_id, length = registers(client, address, 2, unit)
            if model_id == 0xFFFF:
                break
            self.models.setdefault(model_id, (address, length))
            address += 2 + length
        self.end = address

    def ids(self):
        return list(self.models)

    def _regs(self, model_id):
        address, length = self.models[model_id]
        out = []
        for start in range(address, address + 2 + length, 125):
            out += registers(self.client, start, min(125, address + 2 + length - start), self.unit)
        return out

    def get(self, model_id, path):
        address, length = self.models[model_id]
        layout = self.library.layout_for_length(model_id, length)
        regs = self._regs(model_id)
        slot = layout.slot(path)
        raw = decode_raw(slot, regs[slot.offset:slot.offset + slot.size])
        if slot.sf is None or raw is None or slot.type.startswith("float"):
            return raw
        sf_slot = layout.slot(slot.sf_path)
        return raw_to_scaled(raw, decode_raw(sf_slot, regs[sf_slot.offset:sf_slot.offset + 1]))

    def address(self, model_id, path):
        address, length = self.models[model_id]
        return address + self.library.layout_for_length(model_id, length).slot(path).offset

    def set(self, model_id, path, raw_values):
        return write(self.client, self.address(model_id, path), raw_values, self.unit)


def wait_for(predicate, timeout=15.0, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout} s (last: {last})")


def u16(value):
    return value & 0xFFFF


class SimTestCase(unittest.TestCase):
    def start(self, *args):
        sim = Sim(*args)
        self.addCleanup(self._stop, sim)
        return sim

    def _stop(self, sim):
        code, log = sim.stop()
        self.assertEqual(code, 0, f"simulator exit code {code}: {log}")

    def device_variant(self, name, **behaviour):
        spec = json.loads((DEVICES / name).read_text())
        for key, value in behaviour.items():
            target = spec["behaviour"]
            *parents, leaf = key.split("__")
            for p in parents:
                target = target.setdefault(p, {})
            target[leaf] = value
        tmp = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(spec, tmp)
        tmp.close()
        self.addCleanup(os.unlink, tmp.name)
        return tmp.name


class MarkerTest(SimTestCase):
    def test_marker_and_chain_at_each_base(self):
        expected = {"hybrid_battery.json": (40000, [1, 103, 120, 121, 123, 124, 160, 802, 704]),
                    "inverter_50000.json": (50000, [1, 101, 120, 123]),
                    "meter_203.json": (0, [1, 203]),
                    "float_inverter_113.json": (4096, [1, 113]),
                    "inverter_40001.json": (40001, [1, 103, 160]),
                    "hybrid_gen24.json": (40000, [1, 103, 120, 123, 124, 160])}
        for name, (base, ids) in expected.items():
            with self.subTest(device=name):
                sim = self.start("--device", DEVICES / name)
                c = sim.client()
                self.assertEqual(registers(c, base, 2), SUNS)
                self.assertEqual(registers(c, base + 2, 2), [1, 66])
                if base > 0:
                    r = read(c, base - 1, 2)
                    self.assertTrue(r.isError())
                    self.assertEqual(r.exception_code, ILLEGAL_DATA_ADDRESS)
                points = Points(c, base)
                self.assertEqual(points.ids(), ids)
                self.assertEqual(registers(c, points.end, 2), [0xFFFF, 0])
                self.assertEqual(points.get(1, "Mn"), "HEPEK-SIM")
                c.close()

    def test_base_override_relocates_the_map(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json", "--base", 1)
        c = sim.client()
        self.assertEqual(registers(c, 1, 2), SUNS)
        self.assertTrue(read(c, 0, 2).isError())
        self.assertEqual(Points(c, 1).ids()[:2], [1, 103])
        c.close()

    def test_other_unit_gets_no_answer(self):
        sim = self.start("--device", DEVICES / "meter_203.json", "--unit", 7)
        c = sim.client(timeout=1)
        self.assertEqual(c.read_holding_registers(0, 2, slave=7).registers, SUNS)
        r = read(c, 0, 2, unit=1)
        self.assertTrue(isinstance(r, Exception) or r.isError(), r)
        c.close()


class DumpTest(SimTestCase):
    def test_every_dump_served_as_recorded(self):
        for path in sorted(DUMPS.glob("*.csv")):
            with self.subTest(dump=path.name):
                image = load_dump(path)
                sim = self.start("--dump", path)
                c = sim.client()
                unreadable = [image.start + i for i, v in enumerate(image.regs) if v is None]
                address = image.start
                while address < image.end:
                    count = min(125, image.end - address)
                    window = image.regs[address - image.start:address - image.start + count]
                    if None in window:  # read the readable run before the gap, then step over the gap
                        count = window.index(None)
                        if count == 0:
                            address += 1
                            continue
                        window = window[:count]
                    self.assertEqual(registers(c, address, count), window, f"{path.name} at {address}")
                    address += count
                for a in unreadable:
                    r = read(c, a, 1)
                    self.assertEqual(r.exception_code, ILLEGAL_DATA_ADDRESS, f"{path.name} register {a}")
                if unreadable:  # a block that touches one unreadable register fails whole, as the device did
                    self.assertEqual(read(c, unreadable[0] - 5, 10).exception_code, ILLEGAL_DATA_ADDRESS)
                c.close()

    def test_dump_relocated(self):
        path = DUMPS / "DeviceFimerPVSDated20240722.csv"
        image = load_dump(path)
        sim = self.start("--dump", path, "--base", 50000)
        c = sim.client()
        self.assertEqual(registers(c, 50000, 70), image.regs[:70])
        self.assertTrue(read(c, 40000, 2).isError())
        c.close()

    def test_dump_decodes_like_pysunspec2(self):
        """The test-side decoder agrees with pysunspec2's reference decoding of a served dump (≥ 99 %)."""
        path = DUMPS / "DeviceFimerPVSDated20240722.csv"
        reference = json.loads(path.with_suffix(".decoded.json").read_text())
        sim = self.start("--dump", path)
        points = Points(sim.client(), 40000)
        total = equal = 0
        for model in reference["models"]:
            if model["id"] not in (1, 103, 120, 121, 123):
                continue
            for name, value in model["computed"].items():
                if isinstance(value, (list, dict)):
                    continue
                total += 1
                got = points.get(model["id"], name)
                equal += got == value or (isinstance(value, float) and got is not None and abs(got - value) < 1e-6)
        self.assertGreater(total, 100)
        self.assertGreaterEqual(equal / total, 0.99)
        points.client.close()


class ControlTest(SimTestCase):
    def test_124_setpoint_moves_the_battery_and_reverts_after_its_timer(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json")
        c = sim.client()
        p = Points(c, 40000)
        self.assertEqual(p.get(802, "W"), 0)
        self.assertEqual(p.get(103, "W"), 3880)  # 4000 W DC x 0.97
        # Charge at 40 % of WChaMax (5000 W): charge limit 40 %, discharge limit -40 % (i.e. charge at least 40 %).
        self.assertIsNone(p.set(124, "InOutWRte_RvrtTms", [5]))
        self.assertIsNone(p.set(124, "OutWRte", [u16(-400), u16(400)]))  # OutWRte, InWRte (SF -1)
        self.assertIsNone(p.set(124, "StorCtl_Mod", [3]))
        wait_for(lambda: p.get(802, "W") == -2000, what="battery charging at 2000 W")
        self.assertEqual(p.get(124, "StorCtl_Mod"), 3)
        self.assertEqual(p.get(103, "W"), 1880)
        self.assertEqual(p.get(124, "ChaSt"), 4)  # CHARGING
        wait_for(lambda: p.get(124, "StorCtl_Mod") == 0, what="StorCtl_Mod reverted")
        wait_for(lambda: p.get(802, "W") == 0, what="battery back to idle")
        self.assertEqual(p.get(103, "W"), 3880)
        c.close()

    def test_124_discharge_without_timer_holds(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json")
        c = sim.client()
        p = Points(c, 40000)
        self.assertIsNone(p.set(124, "OutWRte", [u16(200), u16(-200)]))  # discharge at least and at most 20 %
        self.assertIsNone(p.set(124, "StorCtl_Mod", [3]))
        wait_for(lambda: p.get(802, "W") == 1000, what="battery discharging at 1000 W")
        self.assertEqual(p.get(103, "W"), 3880 + 1000)
        time.sleep(1.5)
        self.assertEqual(p.get(802, "W"), 1000)
        # 40 % would exceed the inverter's 5000 W rating with the PV: the inverter's output is capped, PV first.
        self.assertIsNone(p.set(124, "OutWRte", [u16(400), u16(-400)]))
        wait_for(lambda: p.get(802, "W") == 2000, what="battery discharging at 2000 W")
        self.assertEqual(p.get(103, "W"), 5000)
        c.close()

    def test_123_curtailment_caps_ac_power_and_reverts(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json")
        c = sim.client()
        p = Points(c, 40000)
        self.assertIsNone(p.set(123, "WMaxLimPct_RvrtTms", [4]))
        self.assertIsNone(p.set(123, "WMaxLimPct", [500]))  # 50.0 % of WMax 5000 W (SF -1)
        self.assertIsNone(p.set(123, "WMaxLim_Ena", [1]))
        wait_for(lambda: p.get(103, "W") == 2500, what="AC power capped at 2500 W")
        self.assertEqual(p.get(103, "St"), 5)  # THROTTLED
        wait_for(lambda: p.get(123, "WMaxLim_Ena") == 0, what="WMaxLim_Ena reverted")
        wait_for(lambda: p.get(103, "W") == 3880, what="uncapped again")
        c.close()

    def test_123_on_a_varying_pv_profile(self):
        sim = self.start("--device", DEVICES / "inverter_50000.json")
        c = sim.client()
        p = Points(c, 50000)
        wait_for(lambda: p.get(101, "W") > 1000, what="PV producing")
        self.assertIsNone(p.set(123, "WMaxLimPct", [10]))  # 10 % of WRtg 3600 W
        self.assertIsNone(p.set(123, "WMaxLim_Ena", [1]))
        wait_for(lambda: p.get(101, "W") == 360, what="capped at 360 W")
        c.close()

    def test_704_wset_and_wmaxlimpct(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json")
        c = sim.client()
        p = Points(c, 40000)
        self.assertIsNone(p.set(704, "WSetRvrtTms", [0, 5]))
        self.assertIsNone(p.set(704, "WSet", [0, 1200]))
        self.assertIsNone(p.set(704, "WSetEna", [1]))
        wait_for(lambda: p.get(802, "W") == 1200, what="704 WSet discharging 1200 W")
        self.assertGreater(p.get(704, "WSetRvrtRem"), 0)
        wait_for(lambda: p.get(704, "WSetEna") == 0, what="WSetEna reverted")
        wait_for(lambda: p.get(802, "W") == 0, what="battery idle again")
        self.assertIsNone(p.set(704, "WSet", [u16(-1), u16(-1500)]))  # int32 -1500
        self.assertIsNone(p.set(704, "WSetEna", [1]))
        wait_for(lambda: p.get(802, "W") == -1500, what="704 WSet charging 1500 W")
        self.assertIsNone(p.set(704, "WMaxLimPct", [40]))  # 40 % of 5000 W, no timer
        self.assertIsNone(p.set(704, "WMaxLimPctEna", [1]))
        # PV 3880 W - charge 1500 W = 2380 W > the 2000 W cap: PV is curtailed to 3500 W.
        wait_for(lambda: p.get(103, "W") == 2000, what="704 cap applied")
        self.assertEqual(p.get(802, "W"), -1500)
        c.close()

    def test_refused_writes(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json")
        c = sim.client()
        p = Points(c, 40000)
        self.assertEqual(p.set(103, "W", [100]), ILLEGAL_DATA_VALUE)  # read-only
        self.assertEqual(p.set(124, "InWRte", [1500]), ILLEGAL_DATA_VALUE)  # 150 %
        self.assertEqual(p.set(124, "StorCtl_Mod", [4]), ILLEGAL_DATA_VALUE)  # undefined bit
        self.assertEqual(p.set(123, "WMaxLim_Ena", [7]), ILLEGAL_DATA_VALUE)  # undefined enum value
        self.assertEqual(p.set(124, "WChaMax", [9000]), ILLEGAL_DATA_VALUE)  # above its write limit
        self.assertEqual(p.set(124, "InWRte", [0x8000]), ILLEGAL_DATA_VALUE)  # "not implemented"
        self.assertEqual(p.set(124, "InOutWRte_SF", [0]), ILLEGAL_DATA_VALUE)  # a scale factor
        self.assertEqual(write(c, 45000, [1]), ILLEGAL_DATA_ADDRESS)  # outside the map
        self.assertEqual(p.get(124, "InWRte"), 100.0)
        self.assertIsNone(p.set(124, "InWRte", [555]))
        self.assertEqual(p.get(124, "InWRte"), 55.5)
        c.close()


class EnergyTest(SimTestCase):
    def test_soc_integrates_within_capacity_and_counters_follow(self):
        # One wall second = one hour of energy, so SoC moves visibly.
        device = self.device_variant("hybrid_gen24.json", energy_time_scale=3600)
        sim = self.start("--device", device)
        c = sim.client()
        p = Points(c, 40000)
        soc0 = p.get(124, "ChaState")
        cha0, dis0 = p.get(160, "module[3].DCWH"), p.get(160, "module[4].DCWH")
        self.assertIsNone(p.set(124, "OutWRte", [u16(-5000), 5000]))  # charge at 50 % (SF -2)
        self.assertIsNone(p.set(124, "StorCtl_Mod", [3]))
        wait_for(lambda: p.get(124, "ChaState") > soc0 + 10, what="SoC rising")
        self.assertEqual(p.get(160, "module[4].DCWH"), dis0)
        self.assertGreater(p.get(160, "module[3].DCWH"), cha0 + 500)
        self.assertEqual(p.get(160, "module[3].DCW"), 2500)
        wait_for(lambda: p.get(124, "ChaState") == 100.0, what="battery full")
        wait_for(lambda: p.get(160, "module[3].DCW") == 0, what="charging stopped when full")
        self.assertEqual(p.get(124, "ChaSt"), 5)  # FULL
        # Discharge to the minimum: it stops at SoC min (7 %), never below.
        self.assertIsNone(p.set(124, "OutWRte", [10000, u16(-10000)]))
        wait_for(lambda: p.get(124, "ChaState") <= 7.01, timeout=20, what="discharged to SoC min")
        wait_for(lambda: p.get(160, "module[4].DCW") == 0, what="discharge stopped at SoC min")
        self.assertGreaterEqual(p.get(124, "ChaState"), 6.99)
        self.assertGreater(p.get(160, "module[4].DCWH"), dis0 + 5000)
        c.close()

    def test_own_behaviour_self_consumption_and_setpoint(self):
        device = self.device_variant("hybrid_gen24.json", battery__own="self_consumption",
                                     house_load={"shape": "constant", "w": 1000})
        sim = self.start("--device", device)
        p = Points(sim.client(), 40000)
        wait_for(lambda: p.get(160, "module[3].DCW") == 1910, what="charging the PV surplus (2910 - 1000 W)")
        self.assertEqual(p.get(103, "W"), 1000)
        device = self.device_variant("hybrid_battery.json", battery__own="setpoint", battery__own_w=-700)
        sim = self.start("--device", device)
        p = Points(sim.client(), 40000)
        wait_for(lambda: p.get(802, "W") == -700, what="own setpoint -700 W")
        self.assertIsNone(p.set(124, "InOutWRte_RvrtTms", [3]))
        self.assertIsNone(p.set(124, "OutWRte", [u16(-100), u16(100)]))
        self.assertIsNone(p.set(124, "StorCtl_Mod", [3]))
        wait_for(lambda: p.get(802, "W") == -500, what="commanded -500 W")
        wait_for(lambda: p.get(802, "W") == -700, what="back to its own -700 W")

    def test_802_soc_matches_124(self):
        device = self.device_variant("hybrid_battery.json", energy_time_scale=3600)
        sim = self.start("--device", device)
        c = sim.client()
        p = Points(c, 40000)
        self.assertIsNone(p.set(124, "OutWRte", [u16(-1000), 1000]))
        self.assertIsNone(p.set(124, "StorCtl_Mod", [3]))
        wait_for(lambda: p.get(802, "SoC") > 60, what="802 SoC rising")
        values = [(p.get(124, "ChaState"), p.get(802, "SoC"), p.get(802, "DoD")) for _ in range(3)]
        self.assertTrue(any(abs(a - b) < 0.11 and abs(100 - b - d) < 0.11 for a, b, d in values), values)
        c.close()

    def test_meter_counters_follow_power(self):
        device = self.device_variant("meter_203.json", energy_time_scale=3600,
                                     house_load={"shape": "constant", "w": 1800},
                                     meter_pv={"shape": "constant", "w": 300})
        sim = self.start("--device", device)
        c = sim.client()
        p = Points(c, 0)
        wait_for(lambda: p.get(203, "W") == 1500, what="meter W = load - PV")
        imp0, exp0 = p.get(203, "TotWhImp"), p.get(203, "TotWhExp")
        self.assertEqual(sum(p.get(203, f"Wph{ph}") for ph in "ABC"), 1500)
        wait_for(lambda: p.get(203, "TotWhImp") > imp0 + 1000, what="import counter rising")
        self.assertEqual(p.get(203, "TotWhExp"), exp0)
        c.close()

    def test_float_inverter_produces(self):
        sim = self.start("--device", DEVICES / "float_inverter_113.json")
        c = sim.client()
        p = Points(c, 4096)
        w = wait_for(lambda: p.get(113, "W"), what="float W > 0")
        self.assertIsInstance(w, float)
        self.assertLessEqual(w, 5500)
        self.assertAlmostEqual(p.get(113, "Hz"), 50.0)
        c.close()


class FaultTest(SimTestCase):
    def test_exception_range(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json", "--fault", "exception:40072-40075")
        c = sim.client()
        self.assertEqual(read(c, 40070, 4).exception_code, ILLEGAL_DATA_ADDRESS)
        self.assertEqual(read(c, 40075, 1).exception_code, ILLEGAL_DATA_ADDRESS)
        self.assertEqual(registers(c, 40070, 2), [103, 50])
        self.assertEqual(len(registers(c, 40076, 10)), 10)
        c.close()

    def test_timeout_range(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json", "--fault", "timeout:40100-40100")
        c = sim.client(timeout=1)
        r = read(c, 40090, 20)
        self.assertTrue(isinstance(r, Exception) or r.isError(), r)
        self.assertFalse(hasattr(r, "registers"))
        c.close()
        c = sim.client()
        self.assertEqual(registers(c, 40000, 2), SUNS)
        c.close()

    def test_drop_after(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json", "--fault", "drop-after:2")
        for _ in range(2):  # every connection is dropped after its 2nd request, and the next one is accepted
            c = sim.client()
            self.assertEqual(registers(c, 40000, 2), SUNS)
            self.assertEqual(registers(c, 40002, 2), [1, 66])
            r = read(c, 40000, 2)
            self.assertTrue(isinstance(r, Exception) or r.isError(), r)
            c.close()

    def test_drop_after_once(self):
        sim = self.start("--device", DEVICES / "meter_203.json", "--fault", "drop-after:1:once")
        c = sim.client()
        self.assertEqual(registers(c, 0, 2), SUNS)
        r = read(c, 0, 2)
        self.assertTrue(isinstance(r, Exception) or r.isError(), r)
        c.close()
        c = sim.client()
        for _ in range(3):
            self.assertEqual(registers(c, 0, 2), SUNS)
        c.close()

    def test_markers(self):
        for fault, marker in (("no-marker", [0, 0]), ("wrong-marker", [0x7553, 0x536E])):
            with self.subTest(fault=fault):
                sim = self.start("--device", DEVICES / "hybrid_battery.json", "--fault", fault)
                c = sim.client()
                self.assertEqual(registers(c, 40000, 2), marker)
                for base in (50000, 0, 4096, 1, 40001):
                    r = read(c, base, 2)
                    self.assertTrue(r.isError() or r.registers != SUNS, base)
                self.assertEqual(registers(c, 40002, 2), [1, 66])  # the models are still there
                c.close()

    def test_length_shorter_and_longer(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json", "--fault", "length:124:20",
                         "--fault", "length:160:60")
        c = sim.client()
        p = Points(c, 40000)
        self.assertEqual(p.ids(), [1, 103, 120, 121, 123, 124, 160, 802, 704])
        self.assertEqual(p.models[124][1], 20)
        self.assertEqual(p.models[160][1], 60)
        self.assertEqual(p.models[160][0], p.models[124][0] + 22)
        self.assertEqual(p.models[802][0], p.models[160][0] + 62)
        self.assertEqual(registers(c, p.models[124][0] + 2, 1), [5000])  # WChaMax still first
        c.close()

    def test_length_on_a_dump(self):
        path = DUMPS / "DeviceSMASunnyBoy36Dated20230810.csv"
        sim = self.start("--dump", path, "--fault", "length:160:100")
        c = sim.client()
        p = Points(c, 40000)
        self.assertEqual(p.models[160][1], 100)
        self.assertIn(129, p.ids())
        c.close()

    def test_slow(self):
        sim = self.start("--device", DEVICES / "meter_203.json", "--fault", "slow:300")
        c = sim.client()
        started = time.monotonic()
        self.assertEqual(registers(c, 0, 2), SUNS)
        self.assertGreaterEqual(time.monotonic() - started, 0.29)  # a lower bound: it cannot answer sooner
        c.close()


class SerialTest(SimTestCase):
    def test_rtu_over_pty(self):
        sim = self.start("--device", DEVICES / "hybrid_battery.json", "--serial-pty", "--unit", 3)
        self.assertTrue(sim.where.startswith("/dev/"), sim.where)
        c = ModbusSerialClient(port=sim.where, baudrate=19200, timeout=2, retries=0)
        self.assertTrue(c.connect())
        self.assertEqual(c.read_holding_registers(40000, 4, slave=3).registers, SUNS + [1, 66])
        p = Points(c, 40000, unit=3)
        self.assertEqual(p.ids(), [1, 103, 120, 121, 123, 124, 160, 802, 704])
        self.assertIsNone(p.set(124, "StorCtl_Mod", [1]))
        self.assertEqual(p.get(124, "StorCtl_Mod"), 1)
        self.assertEqual(p.set(103, "W", [1]), ILLEGAL_DATA_VALUE)
        c.close()


class ArgumentTest(unittest.TestCase):
    def run_sim(self, *args):
        return subprocess.run([PYTHON, str(SIM), "--port", "0", *map(str, args)], capture_output=True, text=True,
                              timeout=30)

    def test_bad_fault(self):
        r = self.run_sim("--device", DEVICES / "meter_203.json", "--fault", "explode:1")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--fault explode:1: unknown fault", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_bad_device_point(self):
        spec = json.loads((DEVICES / "meter_203.json").read_text())
        spec["models"][1]["points"]["Watts"] = 1
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(spec, f)
            f.flush()
            r = self.run_sim("--device", f.name)
        self.assertEqual(r.returncode, 2)
        self.assertIn("models[1]: model 203 has no point Watts", r.stderr)

    def test_bad_dump_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv") as f:
            writer = csv.writer(f)
            writer.writerow(["address", "value_hex", "value_u16"])
            writer.writerow([40000, "5375", 21365])
            writer.writerow([40002, "6E53", 28243])
            f.flush()
            r = self.run_sim("--dump", f.name)
        self.assertEqual(r.returncode, 2)
        self.assertIn("line 3: address 40002, expected 40001", r.stderr)


if __name__ == "__main__":
    unittest.main()
