#!/usr/bin/python3
"""A simulated air conditioner speaking Home Assistant's MQTT climate conventions (Debian's python3-paho-mqtt).

Usage: ac_unit.py --port P --username U --password W [--name ac] [--mode off] [--target 22] [--room 26]
                  [--upper] [--json] [--sensor DEVICE] [--interval 0.5]
Commands it follows: <name>/mode/set (off, heat, cool, auto, fan_only; upper case with --upper),
<name>/temperature/set (a number), <name>/fan/set (auto, low, medium, high).
Reports (retained) every interval and after each command: <name>/mode/state, <name>/temperature/state,
<name>/current_temperature, <name>/action (off, idle, heating, cooling, fan), <name>/fan/state, <name>/power (W);
with --json instead one object on <name>/state: {"mode","target","current","action","fan","power"}.
Availability: <name>/availability "online", "offline" as its last will and when it stops (SIGTERM).
The room temperature drifts toward the target while the unit heats or cools, and toward 30 °C when it is off.
With --sensor DEVICE it also is a HEPEK temperature_sensor role indoor: hepek/DEVICE/config and /state.
Bad commands are ignored. Prints `READY <name>` once subscribed.
"""
import argparse
import json
import signal
import sys
import threading
import time

import paho.mqtt.client as mqtt

MODES = ["off", "heat", "cool", "auto", "fan_only"]
FANS = ["auto", "low", "medium", "high"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--name", default="ac")
    parser.add_argument("--mode", default="off", choices=MODES)
    parser.add_argument("--target", type=float, default=22.0)
    parser.add_argument("--room", type=float, default=26.0)
    parser.add_argument("--upper", action="store_true", help="mode payloads in upper case (COOL), like Tasmota")
    parser.add_argument("--json", action="store_true", help="report one JSON object on <name>/state")
    parser.add_argument("--sensor", default="", help="also publish a HEPEK indoor temperature_sensor device")
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args()
    unit = {"mode": args.mode, "target": args.target, "room": args.room, "fan": "auto"}
    lock = threading.Lock()
    base = args.name

    def log(text):
        print(f"ac_unit: {text}", file=sys.stderr, flush=True)

    def action():
        gap = unit["room"] - unit["target"]
        mode = unit["mode"]
        if mode == "off":
            return "off"
        if mode == "fan_only":
            return "fan"
        if mode in ("cool", "auto") and gap > 0.2:
            return "cooling"
        if mode in ("heat", "auto") and gap < -0.2:
            return "heating"
        return "idle"

    def report(client):
        with lock:
            doing = action()
            power = {"cooling": 900, "heating": 1100, "fan": 40}.get(doing, 2)
            mode = unit["mode"].upper() if args.upper else unit["mode"]
            values = {"mode": mode, "target": unit["target"], "current": round(unit["room"], 2), "action": doing,
                      "fan": unit["fan"], "power": power}
        if args.json:
            client.publish(f"{base}/state", json.dumps(values), qos=1, retain=True)
        else:
            for topic, key in (("mode/state", "mode"), ("temperature/state", "target"),
                               ("current_temperature", "current"), ("action", "action"), ("fan/state", "fan"),
                               ("power", "power")):
                client.publish(f"{base}/{topic}", str(values[key]), qos=1, retain=True)
        if args.sensor:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
            client.publish(f"hepek/{args.sensor}/state", json.dumps({"temperature": values["current"], "ts": stamp}),
                           qos=1, retain=True)

    def on_connect(client, _userdata, _flags, rc):
        if rc != 0:
            log(f"connection refused ({rc})")
            return
        client.publish(f"{base}/availability", "online", qos=1, retain=True)
        if args.sensor:
            config = {"schema": 2, "device": args.sensor, "name": "Room thermometer", "model": "ac_unit.py",
                      "manufacturer": "test", "interfaces": [{"name": "temperature_sensor", "role": "indoor"}],
                      "entities": [{"field": "temperature", "name": "Temperature", "unit": "°C",
                                    "device_class": "temperature", "state_class": "measurement"}]}
            client.publish(f"hepek/{args.sensor}/config", json.dumps(config), qos=1, retain=True)
            client.publish(f"hepek/{args.sensor}/availability", "online", qos=1, retain=True)
        client.subscribe([(f"{base}/mode/set", 1), (f"{base}/temperature/set", 1), (f"{base}/fan/set", 1)])

    def on_subscribe(client, *_):
        report(client)
        print(f"READY {base}", flush=True)

    def on_message(client, _userdata, message):
        text = message.payload.decode("utf-8", "replace").strip()
        with lock:
            if message.topic.endswith("/mode/set") and text.lower() in MODES:
                unit["mode"] = text.lower()
            elif message.topic.endswith("/temperature/set"):
                try:
                    unit["target"] = float(text)
                except ValueError:
                    log(f"ignoring temperature {text!r}")
                    return
            elif message.topic.endswith("/fan/set") and text.lower() in FANS:
                unit["fan"] = text.lower()
            else:
                log(f"ignoring {message.topic} {text!r}")
                return
            log(f"{message.topic} {text}")
        report(client)

    # The hub's broker accepts only client ids "<username>" or "<username>-..." (sdk/docs/topics.md).
    client = mqtt.Client(client_id=f"{args.username}-ac-{args.name}")
    client.username_pw_set(args.username, args.password)
    client.will_set(f"{base}/availability", "offline", qos=1, retain=True)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message

    def stop(*_):
        client.publish(f"{base}/availability", "offline", qos=1, retain=True).wait_for_publish(2)
        client.disconnect()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    client.connect("127.0.0.1", args.port)
    client.loop_start()
    while True:
        time.sleep(args.interval)
        with lock:
            doing = action()
            goal = unit["target"] if doing in ("cooling", "heating") else 30.0
            unit["room"] += (goal - unit["room"]) * 0.2
        if client.is_connected():
            report(client)


if __name__ == "__main__":
    sys.exit(main())
