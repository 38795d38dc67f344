"""What a simulated device does over time: PV inverter, battery, grid meter, and the revert timers of its controls.

What: Simulation.step() (called every step_ms of wall time) computes PV from a profile, caps the inverter's AC power by
model 123 WMaxLimPct (WMaxLim_Ena = 1) and 704 WMaxLimPct (WMaxLimPctEna = 1), runs the battery from its own
behaviour or from the controls (704 WSet when enabled, else 124 StorCtl_Mod/InWRte/OutWRte), integrates SoC and the
energy counters, and writes the results into the model points the device implements (a point the device JSON left
"not implemented" stays so). on_write() (re)starts a control's revert timer; when it runs out the control reverts
(123: WMaxLim_Ena = 0; 124: StorCtl_Mod = 0; 704: the *Rvrt values) and the device is back to its own behaviour.
Signs: battery W + = discharge; meter W + = import from the grid; inverter W + = AC output.
Thread-safety: used only from the simulator's asyncio thread.
Errors: BehaviourError naming the behaviour key at construction; stepping never raises on device values.
"""

import math
import time

from sunspec_models import ModelError

INVERTER_MODELS = (101, 102, 103, 111, 112, 113)
METER_MODELS = (201, 202, 203, 204, 211, 212, 213, 214)
PHASES = {101: 1, 102: 2, 103: 3, 111: 1, 112: 2, 113: 3, 201: 1, 202: 2, 203: 3, 204: 3, 211: 1, 212: 2,
          213: 3, 214: 3}
NOMINAL_V = 230.0
NOMINAL_HZ = 50.0

# Controls with a revert timer: the points whose write (re)starts it, its duration and remaining points, and what
# expiry restores (a constant, or the raw value of another point).
REVERT_TIMERS = (
    {"model": 123, "name": "WMaxLimPct", "triggers": ("WMaxLimPct", "WMaxLim_Ena", "WMaxLimPct_RvrtTms"),
     "tms": "WMaxLimPct_RvrtTms", "rem": None, "revert": (("WMaxLim_Ena", 0),)},
    {"model": 124, "name": "InOutWRte", "triggers": ("StorCtl_Mod", "InWRte", "OutWRte", "InOutWRte_RvrtTms"),
     "tms": "InOutWRte_RvrtTms", "rem": None, "revert": (("StorCtl_Mod", 0),)},
    {"model": 704, "name": "WMaxLimPct", "triggers": ("WMaxLimPctEna", "WMaxLimPct", "WMaxLimPctRvrtTms"),
     "tms": "WMaxLimPctRvrtTms", "rem": "WMaxLimPctRvrtRem",
     "revert": (("WMaxLimPct", "WMaxLimPctRvrt"), ("WMaxLimPctEna", "WMaxLimPctEnaRvrt"))},
    {"model": 704, "name": "WSet", "triggers": ("WSetEna", "WSetMod", "WSet", "WSetPct", "WSetRvrtTms"),
     "tms": "WSetRvrtTms", "rem": "WSetRvrtRem",
     "revert": (("WSet", "WSetRvrt"), ("WSetPct", "WSetPctRvrt"), ("WSetEna", "WSetEnaRvrt"))},
)


class BehaviourError(Exception):
    pass


class Profile:
    """Power over wall time since start: {"shape": "constant", "w": W}, {"shape": "sine", "peak_w": W,
    "period_s": S[, "phase_s": S]} (a day squeezed into period_s: peak x max(0, sin)), or {"shape": "table",
    "points": [[t_s, W], ...][, "repeat": true]} (linear between points)."""

    def __init__(self, spec, where):
        if not isinstance(spec, dict) or spec.get("shape") not in ("constant", "sine", "table"):
            raise BehaviourError(f"{where}: expected {{\"shape\": \"constant\" | \"sine\" | \"table\", ...}}")
        self.spec = spec
        self.where = where
        if spec["shape"] == "table":
            points = spec.get("points")
            if not isinstance(points, list) or len(points) < 2 or any(
                    not isinstance(p, list) or len(p) != 2 for p in points):
                raise BehaviourError(f"{where}: a table needs at least two [t_s, W] points")
            if any(points[i + 1][0] <= points[i][0] for i in range(len(points) - 1)):
                raise BehaviourError(f"{where}: table times must increase")

    def __call__(self, t):
        s = self.spec
        if s["shape"] == "constant":
            return float(s.get("w", 0.0))
        if s["shape"] == "sine":
            period = float(s.get("period_s", 600))
            return float(s.get("peak_w", 0.0)) * max(0.0, math.sin(2 * math.pi * (t + s.get("phase_s", 0)) / period))
        points = s["points"]
        if s.get("repeat", False):
            t = points[0][0] + (t - points[0][0]) % (points[-1][0] - points[0][0])
        if t <= points[0][0]:
            return float(points[0][1])
        for (t0, w0), (t1, w1) in zip(points, points[1:]):
            if t <= t1:
                return w0 + (w1 - w0) * (t - t0) / (t1 - t0)
        return float(points[-1][1])


def _update_module_dc(mppt, index, watts, volts):
    """A model 160 module's DC power, voltage and the current they imply (0 A at 0 V)."""
    _update(mppt, f"module[{index}].DCW", watts)
    _update(mppt, f"module[{index}].DCV", volts)
    _update(mppt, f"module[{index}].DCA", watts / volts if volts else 0.0)


def _update(view, path, value):
    """Sets a point only when the device implements it (the device JSON decides which points exist)."""
    if view is not None and value is not None and view.has(path) and view.raw(path) is not None:
        try:
            view.set(path, value)
        except ModelError:
            pass


class Battery:
    def __init__(self, spec, where):
        try:
            self.capacity_wh = float(spec.get("capacity_wh", 10000))
            self.soc_wh = self.capacity_wh * float(spec.get("soc_pct", 50)) / 100
            self.max_charge_w = float(spec.get("max_charge_w", 5000))
            self.max_discharge_w = float(spec.get("max_discharge_w", 5000))
            self.soc_min_pct = float(spec.get("soc_min_pct", 5))
            self.soc_max_pct = float(spec.get("soc_max_pct", 100))
            self.own_mode = spec.get("own", "idle")
            self.own_w = float(spec.get("own_w", 0))
            self.voltage = float(spec.get("voltage", 400))
            self.charged_wh = float(spec.get("charged_wh", 0))
            self.discharged_wh = float(spec.get("discharged_wh", 0))
        except (TypeError, ValueError) as e:
            raise BehaviourError(f"{where}: {e}") from e
        if self.own_mode not in ("idle", "setpoint", "self_consumption"):
            raise BehaviourError(f"{where}.own: expected idle | setpoint | self_consumption")
        if self.capacity_wh <= 0:
            raise BehaviourError(f"{where}.capacity_wh: must be > 0")
        self.w = 0.0

    @property
    def soc_pct(self):
        return 100.0 * self.soc_wh / self.capacity_wh


class Simulation:
    def __init__(self, device, clock=time.monotonic):
        self.device = device
        self.clock = clock
        cfg = device.behaviour or {}
        self.step_s = float(cfg.get("step_ms", 100)) / 1000.0
        self.energy_scale = float(cfg.get("energy_time_scale", 1.0))
        self.pv = Profile(cfg["pv"], "behaviour.pv") if "pv" in cfg else None
        self.pv_efficiency = float(cfg.get("pv", {}).get("efficiency", 0.97)) if self.pv else 1.0
        self.load = Profile(cfg["house_load"], "behaviour.house_load") if "house_load" in cfg else None
        self.meter_pv = Profile(cfg["meter_pv"], "behaviour.meter_pv") if "meter_pv" in cfg else None
        self.rated_w = cfg.get("rated_w")
        self.battery = Battery(cfg["battery"], "behaviour.battery") if "battery" in cfg else None
        # A dump is served as recorded: no physics, only the controls' revert timers.
        physics = bool(cfg)
        self.inverter = next((device.model(m) for m in INVERTER_MODELS if device.model(m)), None) if physics else None
        self.meter = next((device.model(m) for m in METER_MODELS if device.model(m)), None) if physics else None
        self.start = self.last = clock()
        self.deadlines = {}  # (model, timer name) -> monotonic deadline
        self.ac_w = 0.0
        self.curtailed = False
        self.hb_at = self.start
        self.step()

    # ---- controls --------------------------------------------------------------------------------------------------

    def on_write(self, touched):
        """Called after an accepted write with the (view, slot) pairs it touched."""
        now = self.clock()
        for timer in REVERT_TIMERS:
            view = self.device.model(timer["model"])
            if view is None:
                continue
            if not any(v is view and slot.path in timer["triggers"] for v, slot in touched):
                continue
            seconds = view.raw(timer["tms"]) if view.has(timer["tms"]) else None
            key = (timer["model"], timer["name"])
            if seconds:
                self.deadlines[key] = now + seconds
            else:
                self.deadlines.pop(key, None)
                if timer["rem"]:
                    _update(view, timer["rem"], 0)

    def _run_timers(self, now):
        for timer in REVERT_TIMERS:
            key = (timer["model"], timer["name"])
            view = self.device.model(timer["model"])
            if key not in self.deadlines or view is None:
                continue
            remaining = self.deadlines[key] - now
            if timer["rem"]:
                _update(view, timer["rem"], max(0, math.ceil(remaining)))
            if remaining > 0:
                continue
            del self.deadlines[key]
            for path, source in timer["revert"]:
                if not view.has(path):
                    continue
                raw = source if isinstance(source, int) else (view.raw(source) if view.has(source) else None)
                if raw is None and path.endswith("Ena"):
                    raw = 0
                if raw is not None:
                    view.set_raw(path, raw)

    def revert_remaining(self, model, name):
        """Seconds until the revert timer runs out, or None when it is not running."""
        deadline = self.deadlines.get((model, name))
        return None if deadline is None else max(0.0, deadline - self.clock())

    # ---- physics ---------------------------------------------------------------------------------------------------

    def _rated_w(self):
        for model, path in ((121, "WMax"), (120, "WRtg")):
            view = self.device.model(model)
            if view is not None and view.get(path):
                return float(view.get(path))
        if self.rated_w is not None:
            return float(self.rated_w)
        return None

    def _ac_cap(self):
        rated = self._rated_w()
        cap = rated if rated is not None else math.inf
        controls = self.device.model(123)
        if controls is not None and controls.get("WMaxLim_Ena") == 1 and controls.get("WMaxLimPct") is not None:
            cap = min(cap, (rated or 0.0) * controls.get("WMaxLimPct") / 100.0)
        der = self.device.model(704)
        if der is not None and der.get("WMaxLimPctEna") == 1 and der.get("WMaxLimPct") is not None:
            cap = min(cap, (rated or 0.0) * der.get("WMaxLimPct") / 100.0)
        return cap

    def _battery_max(self):
        b = self.battery
        base = b.max_charge_w
        storage = self.device.model(124)
        if storage is not None and storage.get("WChaMax"):
            base = float(storage.get("WChaMax"))
        return base

    def _battery_target(self, pv_ac, load):
        b = self.battery
        if b.own_mode == "setpoint":
            own = b.own_w
        elif b.own_mode == "self_consumption":
            own = (load or 0.0) - pv_ac
        else:
            own = 0.0
        der = self.device.model(704)
        if der is not None and der.get("WSetEna") == 1:
            if der.get("WSetMod") == 1 and der.get("WSet") is not None:
                return float(der.get("WSet"))
            if der.get("WSetPct") is not None:
                pct = der.get("WSetPct")
                return (b.max_discharge_w if pct > 0 else b.max_charge_w) * pct / 100.0
        storage = self.device.model(124)
        if storage is None:
            return own
        mode = storage.get("StorCtl_Mod") or 0
        base = self._battery_max()
        low, high = -b.max_charge_w, b.max_discharge_w
        if mode & 1 and storage.get("InWRte") is not None:
            low = -base * storage.get("InWRte") / 100.0
        if mode & 2 and storage.get("OutWRte") is not None:
            high = base * storage.get("OutWRte") / 100.0
        if low > high:  # e.g. InWRte < 0 (must discharge) with a smaller discharge limit: the charge limit wins
            return low
        return min(max(own, low), high)

    def _battery_limit(self, w, dt_h):
        b = self.battery
        w = min(max(w, -b.max_charge_w), b.max_discharge_w)
        if w > 0:
            available = b.soc_wh - b.capacity_wh * b.soc_min_pct / 100.0
            w = min(w, max(0.0, available) / dt_h) if dt_h > 0 else (w if available > 0 else 0.0)
        elif w < 0:
            room = b.capacity_wh * b.soc_max_pct / 100.0 - b.soc_wh
            w = max(w, -max(0.0, room) / dt_h) if dt_h > 0 else (w if room > 0 else 0.0)
        return w

    def step(self):
        now = self.clock()
        dt = max(0.0, now - self.last)
        self.last = now
        t = now - self.start
        dt_h = dt * self.energy_scale / 3600.0
        self._run_timers(now)

        pv_dc = max(0.0, self.pv(t)) if self.pv else 0.0
        pv_ac = pv_dc * self.pv_efficiency
        load = max(0.0, self.load(t)) if self.load else None
        battery_w = 0.0
        if self.battery is not None:
            battery_w = self._battery_limit(self._battery_target(pv_ac, load), dt_h if dt_h > 0 else 1e-9)
        cap = self._ac_cap() if self.inverter is not None else math.inf
        ac = pv_ac + battery_w
        self.curtailed = False
        if ac > cap:
            self.curtailed = True
            pv_ac = max(0.0, pv_ac - (ac - cap))
            if pv_ac + battery_w > cap and battery_w > 0:
                battery_w = max(0.0, cap - pv_ac)
            ac = pv_ac + battery_w
        self.ac_w = ac
        if self.battery is not None:
            self._integrate_battery(battery_w, dt_h)
            self._publish_battery(now)
        if self.inverter is not None:
            self._publish_inverter(ac, pv_ac / self.pv_efficiency if self.pv_efficiency else pv_ac, dt_h, t)
        if self.meter is not None:
            site = ac if self.inverter is not None else (max(0.0, self.meter_pv(t)) if self.meter_pv else 0.0)
            self._publish_meter((load or 0.0) - site, dt_h)

    def _integrate_battery(self, w, dt_h):
        b = self.battery
        b.w = w
        b.soc_wh = min(max(b.soc_wh - w * dt_h, 0.0), b.capacity_wh)
        if w > 0:
            b.discharged_wh += w * dt_h
        else:
            b.charged_wh += -w * dt_h

    def _publish_battery(self, now):
        b = self.battery
        soc = b.soc_pct
        if abs(b.w) < 0.5:
            state = 5 if soc >= b.soc_max_pct - 1e-6 else 2 if soc <= b.soc_min_pct + 1e-6 else 6
        else:
            state = 3 if b.w > 0 else 4
        storage = self.device.model(124)
        _update(storage, "ChaState", soc)
        _update(storage, "ChaSt", state)
        _update(storage, "InBatV", b.voltage)
        _update(storage, "StorAval", b.soc_wh / b.voltage)
        bank = self.device.model(802)
        if bank is not None:
            _update(bank, "SoC", soc)
            _update(bank, "DoD", 100.0 - soc)
            _update(bank, "W", b.w)
            _update(bank, "A", b.w / b.voltage)
            _update(bank, "V", b.voltage)
            _update(bank, "ChaSt", state)
            _update(bank, "NCyc", int(b.discharged_wh // b.capacity_wh))
            if now - self.hb_at >= 1.0:
                self.hb_at = now
                hb = bank.raw("Hb") if bank.has("Hb") else None
                if hb is not None:
                    bank.set_raw("Hb", (hb + 1) % 0xFFFF)
        capacity = self.device.model(713)
        _update(capacity, "SoC", soc)
        _update(capacity, "WHAvail", b.soc_wh)
        self._publish_storage_modules(b)

    def _modules(self, name_filter):
        mppt = self.device.model(160)
        if mppt is None or mppt.layout is None:
            return []
        out = []
        for i in range(1, mppt.layout.groups.get("module", 0) + 1):
            idstr = mppt.get(f"module[{i}].IDStr") if mppt.has(f"module[{i}].IDStr") else None
            if name_filter(idstr):
                out.append((i, idstr))
        return out

    def _publish_storage_modules(self, b):
        """Fronius-style hybrids report battery charge/discharge as 160 modules named StCha and StDisCha."""
        mppt = self.device.model(160)
        for i, idstr in self._modules(lambda s: s in ("StCha", "StDisCha")):
            w = max(0.0, -b.w) if idstr == "StCha" else max(0.0, b.w)
            wh = b.charged_wh if idstr == "StCha" else b.discharged_wh
            _update_module_dc(mppt, i, w, b.voltage)
            _update(mppt, f"module[{i}].DCWH", wh)

    def _publish_inverter(self, ac, pv_dc, dt_h, t):
        inv = self.inverter
        phases = PHASES[inv.model_id]
        _update(inv, "W", ac)
        _update(inv, "VA", abs(ac))
        _update(inv, "VAr", 0.0)
        _update(inv, "PF", 100.0)
        _update(inv, "Hz", NOMINAL_HZ)
        current = abs(ac) / (phases * NOMINAL_V)
        _update(inv, "A", current * phases)
        for ph in "ABC"[:phases]:
            _update(inv, f"Aph{ph}", current)
            _update(inv, f"PhVph{ph}", NOMINAL_V)
        for pair in ("PPVphAB", "PPVphBC", "PPVphCA"):
            _update(inv, pair, NOMINAL_V * math.sqrt(3))
        wh = inv.get("WH")
        if wh is not None and ac > 0:
            self._wh = getattr(self, "_wh", float(wh)) + ac * dt_h
            _update(inv, "WH", self._wh)
        dc_v = 360.0
        _update(inv, "DCW", pv_dc)
        _update(inv, "DCV", dc_v)
        _update(inv, "DCA", pv_dc / dc_v)
        _update(inv, "TmpCab", 30.0 + abs(ac) / 500.0)
        _update(inv, "TmpSnk", 35.0 + abs(ac) / 400.0)
        state = 2 if abs(ac) < 1 else (5 if self.curtailed else 4)
        _update(inv, "St", state)
        der = self.device.model(701)
        if der is not None:
            _update(der, "W", ac)
            _update(der, "Hz", NOMINAL_HZ)
        self._publish_pv_modules(pv_dc, dt_h)

    def _publish_pv_modules(self, pv_dc, dt_h):
        mppt = self.device.model(160)
        modules = self._modules(lambda s: s not in ("StCha", "StDisCha"))
        if not modules:
            return
        shares = (self.device.behaviour.get("pv") or {}).get("module_shares") or [1.0 / len(modules)] * len(modules)
        self._module_wh = getattr(self, "_module_wh", {})
        for (i, _), share in zip(modules, shares):
            w = pv_dc * share
            v = 300.0 + 20.0 * i if w > 0 else 0.0
            _update_module_dc(mppt, i, w, v)
            _update(mppt, f"module[{i}].Tmp", 25.0 + w / 200.0)
            _update(mppt, f"module[{i}].DCSt", 4 if w > 0 else 2)
            start = mppt.get(f"module[{i}].DCWH")
            if start is not None:
                self._module_wh[i] = self._module_wh.get(i, float(start)) + w * dt_h
                _update(mppt, f"module[{i}].DCWH", self._module_wh[i])

    def _publish_meter(self, grid_w, dt_h):
        m = self.meter
        phases = PHASES[m.model_id]
        _update(m, "W", grid_w)
        _update(m, "VA", abs(grid_w))
        _update(m, "VAR", 0.0)
        _update(m, "PF", 100.0)
        _update(m, "Hz", NOMINAL_HZ)
        _update(m, "PhV", NOMINAL_V)
        _update(m, "PPV", NOMINAL_V * math.sqrt(3))
        per_phase = grid_w / phases
        current = per_phase / NOMINAL_V
        _update(m, "A", current * phases)
        for ph in "ABC"[:phases]:
            _update(m, f"W{'ph' + ph}", per_phase)
            _update(m, f"VAph{ph}", abs(per_phase))
            _update(m, f"Aph{ph}", current)
            _update(m, f"PhVph{ph}", NOMINAL_V)
            _update(m, f"PFph{ph}", 100.0)
        for pair in ("PhVphAB", "PhVphBC", "PhVphCA"):
            _update(m, pair, NOMINAL_V * math.sqrt(3))
        self._meter_wh = getattr(self, "_meter_wh", None)
        if self._meter_wh is None:
            self._meter_wh = {"Imp": float(m.get("TotWhImp") or 0.0), "Exp": float(m.get("TotWhExp") or 0.0)}
        if grid_w > 0:
            self._meter_wh["Imp"] += grid_w * dt_h
        else:
            self._meter_wh["Exp"] += -grid_w * dt_h
        for direction in ("Imp", "Exp"):
            _update(m, f"TotWh{direction}", self._meter_wh[direction])
            for ph in "ABC"[:phases]:
                _update(m, f"TotWh{direction}Ph{ph}", self._meter_wh[direction] / phases)
