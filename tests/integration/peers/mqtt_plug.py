#!/usr/bin/python3
"""A Tasmota-style smart plug on MQTT (Debian's python3-paho-mqtt) for tests.

Usage: mqtt_plug.py --port P --username U --password W [--name plug] [--state ON|OFF]
Follows cmnd/<name>/POWER (ON, OFF, TOGGLE) and reports stat/<name>/POWER (retained) after every command and
once connected. Prints `READY <name>` once subscribed. Connection lost: paho reconnects. SIGTERM: exit 0.
"""
import argparse
import signal
import sys

import paho.mqtt.client as mqtt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--name", default="plug")
    parser.add_argument("--state", default="ON", choices=["ON", "OFF"])
    args = parser.parse_args()
    state = {"power": args.state}
    command, report = f"cmnd/{args.name}/POWER", f"stat/{args.name}/POWER"

    def on_connect(client, _userdata, _flags, rc):
        if rc != 0:
            print(f"mqtt_plug: connection refused ({rc})", file=sys.stderr, flush=True)
            return
        client.subscribe(command, qos=1)

    def on_subscribe(client, *_):
        client.publish(report, state["power"], qos=1, retain=True)
        print(f"READY {args.name}", flush=True)

    def on_message(client, _userdata, message):
        text = message.payload.decode("utf-8", "replace").strip().upper()
        if text == "TOGGLE":
            text = "OFF" if state["power"] == "ON" else "ON"
        if text in ("ON", "OFF"):
            state["power"] = text
            print(f"mqtt_plug: {args.name} {text}", file=sys.stderr, flush=True)
        client.publish(report, state["power"], qos=1, retain=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # The hub's broker accepts only client ids "<username>" or "<username>-..." (sdk/docs/topics.md).
    client = mqtt.Client(client_id=f"{args.username}-plug-{args.name}")
    client.username_pw_set(args.username, args.password)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    client.connect("127.0.0.1", args.port)
    client.loop_forever(retry_first_connection=True)


if __name__ == "__main__":
    sys.exit(main())
