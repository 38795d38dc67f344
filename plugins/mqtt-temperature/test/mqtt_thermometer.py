#!/usr/bin/python3
"""A third-party MQTT thermometer for tests (Debian's python3-paho-mqtt), in one of two styles.

Usage: mqtt_thermometer.py --port P --username U --password W --name N --style zigbee2mqtt|tasmota
         [--celsius 21.5] [--interval-ms 500]
zigbee2mqtt: announces homeassistant/sensor/<name>/temperature/config (retained, long keys, an availability list,
  value_template {{ value_json.temperature }}), reports zigbee2mqtt/<name> {"temperature":..,"humidity":..,
  "linkquality":..} and zigbee2mqtt/<name>/availability {"state":"online"}.
tasmota: announces homeassistant/sensor/<name>_DS18B20_Temperature/config with abbreviated keys and `~`
  (stat_t "~SENSOR", val_tpl "{{value_json['DS18B20'].Temperature}}", unit_of_meas "°F"), reports
  tele/<name>/SENSOR {"Time":..,"DS18B20":{"Id":..,"Temperature":..},"TempUnit":"F"} and tele/<name>/LWT.
Takes test commands on thermometer/<name>/control: `celsius X` (report X °C from now on), `offline` / `online`
(the device's availability), `remove` (an empty retained discovery document). Prints `READY <name>` once
connected and subscribed.
"""
import argparse
import json
import signal
import sys
import threading

import paho.mqtt.client as mqtt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--style", required=True, choices=["zigbee2mqtt", "tasmota"])
    parser.add_argument("--celsius", type=float, default=21.5)
    parser.add_argument("--interval-ms", type=int, default=500)
    args = parser.parse_args()
    state = {"celsius": args.celsius, "online": True}
    name = args.name

    if args.style == "zigbee2mqtt":
        discovery = f"homeassistant/sensor/{name}/temperature/config"
        document = {
            "availability": [{"topic": "zigbee2mqtt/bridge/state", "value_template": "{{ value_json.state }}"},
                             {"topic": f"zigbee2mqtt/{name}/availability", "value_template": "{{ value_json.state }}"}],
            "availability_mode": "all",
            "device": {"identifiers": [f"zigbee2mqtt_{name}"], "manufacturer": "Xiaomi", "model": "WSDCGQ11LM",
                       "name": name},
            "device_class": "temperature",
            "enabled_by_default": True,
            "name": f"{name} temperature",
            "state_class": "measurement",
            "state_topic": f"zigbee2mqtt/{name}",
            "unique_id": f"{name}_temperature_zigbee2mqtt",
            "unit_of_measurement": "°C",
            "value_template": "{{ value_json.temperature }}",
        }
    else:
        discovery = f"homeassistant/sensor/{name}_DS18B20_Temperature/config"
        document = {"name": f"{name} DS18B20 Temperature", "stat_t": "~SENSOR", "avty_t": "~LWT",
                    "pl_avail": "Online", "pl_not_avail": "Offline", "uniq_id": f"{name}_DS18B20_Temperature",
                    "dev": {"ids": [name]}, "unit_of_meas": "°F", "dev_cla": "temperature",
                    "frc_upd": True, "val_tpl": "{{value_json['DS18B20'].Temperature}}", "~": f"tele/{name}/"}

    def publish_availability(client):
        if args.style == "zigbee2mqtt":
            client.publish("zigbee2mqtt/bridge/state", json.dumps({"state": "online"}), qos=1, retain=True)
            payload = json.dumps({"state": "online" if state["online"] else "offline"})
            client.publish(f"zigbee2mqtt/{name}/availability", payload, qos=1, retain=True)
        else:
            client.publish(f"tele/{name}/LWT", "Online" if state["online"] else "Offline", qos=1, retain=True)

    def report(client):
        c = state["celsius"]
        if args.style == "zigbee2mqtt":
            client.publish(f"zigbee2mqtt/{name}",
                           json.dumps({"temperature": c, "humidity": 48.2, "linkquality": 120}), qos=1)
        else:
            fahrenheit = round(c * 9 / 5 + 32, 1)
            client.publish(f"tele/{name}/SENSOR", json.dumps(
                {"Time": "2026-12-02T17:00:00", "DS18B20": {"Id": "0316A2793AFF", "Temperature": fahrenheit},
                 "TempUnit": "F"}), qos=1)

    def on_connect(client, _userdata, _flags, rc):
        if rc != 0:
            print(f"mqtt_thermometer: connection refused ({rc})", file=sys.stderr, flush=True)
            return
        client.publish(discovery, json.dumps(document), qos=1, retain=True)
        publish_availability(client)
        client.subscribe(f"thermometer/{name}/control", qos=1)

    def on_subscribe(*_):
        print(f"READY {name}", flush=True)

    def on_message(client, _userdata, message):
        words = message.payload.decode("utf-8", "replace").split()
        if not words:
            return
        if words[0] == "celsius":
            state["celsius"] = float(words[1])
        elif words[0] in ("online", "offline"):
            state["online"] = words[0] == "online"
            publish_availability(client)
        elif words[0] == "remove":
            client.publish(discovery, "", qos=1, retain=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    client = mqtt.Client(client_id=f"{args.username}-thermometer-{name}")
    client.username_pw_set(args.username, args.password)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    client.connect("127.0.0.1", args.port)
    client.loop_start()

    stop = threading.Event()
    while not stop.wait(args.interval_ms / 1000):
        report(client)


if __name__ == "__main__":
    sys.exit(main())
