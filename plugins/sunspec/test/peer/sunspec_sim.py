#!/usr/bin/python3
"""SunSpec device simulator (test peer for the sunspec plugin), on Debian's python3-pymodbus.

  /usr/bin/python3 sunspec_sim.py --port P [--host 127.0.0.1] [--unit U] [--base N]
      (--dump FILE.csv | --device DEVICE.json) [--fault SPEC]... [--serial-pty] [--models DIR] [-v]

Prints `READY <port>` (or `READY <pty path>` with --serial-pty) on stdout once it answers, then serves until SIGTERM
or SIGINT (exit 0). --port 0 picks a free port. Logs go to stderr. Exit 2: bad arguments or input (the message names
the file, the key or the fault spec).
Thread-safety: one asyncio loop runs the server, the connections and the simulation steps.
See README.md for the device JSON, the behaviour and the faults.
"""

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # runs from the source tree: leave no __pycache__ behind
sys.path.insert(0, str(Path(__file__).resolve().parent))

from behaviour import BehaviourError, Simulation  # noqa: E402
from device import DeviceError, build_from_dump, build_from_json  # noqa: E402
from faults import FaultError, parse_faults  # noqa: E402
from modbus_server import RequestPolicy, SimPtyServer, SimTcpServer  # noqa: E402
from sunspec_models import DEFAULT_MODELS_DIR, ModelLibrary  # noqa: E402

log = logging.getLogger("sunspec_sim")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="sunspec_sim.py", description="SunSpec Modbus device simulator")
    p.add_argument("--port", type=int, required=True, help="TCP port (0 = pick a free one)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--unit", type=int, default=None, help="Modbus unit id (default: the device JSON's, else 1)")
    p.add_argument("--base", type=int, default=None, help="address of the SunS marker (relocates the map)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--dump", type=Path, help="a real device's register dump (address,value_hex,value_u16)")
    source.add_argument("--device", type=Path, help="a device JSON (models, point values, behaviour)")
    p.add_argument("--fault", action="append", default=[], help="exception:A-B, timeout:A-B, drop-after:N[:once], "
                   "no-marker, wrong-marker, length:MODEL:LEN, slow:MS (repeatable)")
    p.add_argument("--serial-pty", action="store_true", help="serve Modbus RTU on a new pty instead of TCP")
    p.add_argument("--models", type=Path, default=DEFAULT_MODELS_DIR, help="SunSpec JSON model definitions")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = p.parse_args(argv)
    if not 0 <= args.port <= 65535:
        p.error(f"--port {args.port}: expected 0..65535")
    if args.base is not None and not 0 <= args.base <= 65533:
        p.error(f"--base {args.base}: expected 0..65533")
    if args.unit is not None and not 0 <= args.unit <= 247:
        p.error(f"--unit {args.unit}: expected 0..247")
    return args


def build(args):
    faults = parse_faults(args.fault)
    library = ModelLibrary(args.models)
    if args.dump is not None:
        device = build_from_dump(args.dump, library, base=args.base, faults=faults.map_faults())
        if args.unit is not None:
            device.unit = args.unit
    else:
        device = build_from_json(args.device, library, base=args.base, unit=args.unit, faults=faults.map_faults())
    if device.image.end > 0x10000:
        raise DeviceError(f"the map runs from {device.image.start} to {device.image.end - 1}, beyond 65535")
    return device, faults


async def serve(args, device, faults):
    simulation = Simulation(device)
    policy = RequestPolicy(device, simulation, faults)
    server = SimPtyServer(policy, device.unit) if args.serial_pty else SimTcpServer(
        policy, device.unit, args.host, args.port)
    where = await server.start()
    log.info("%s: base %d, unit %d, registers %d..%d, faults %s", device.description, device.base, device.unit,
             device.image.start, device.image.end - 1, args.fault or "none")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    async def run_steps():
        while True:
            await asyncio.sleep(simulation.step_s)
            simulation.step()

    stepper = asyncio.create_task(run_steps())
    print(f"READY {where}", flush=True)
    await stop.wait()
    log.info("stopping after %d requests", policy.requests)
    stepper.cancel()
    await server.stop()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="sunspec_sim: %(levelname)s %(message)s", force=True)
    for noisy in ("pymodbus", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    try:
        device, faults = build(args)
    except (DeviceError, FaultError, BehaviourError, OSError) as e:
        print(f"sunspec_sim: {e}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(args, device, faults))
    except BehaviourError as e:
        print(f"sunspec_sim: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"sunspec_sim: cannot listen on {args.host}:{args.port}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
