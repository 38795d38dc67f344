#!/usr/bin/python3
"""A Tasmota-style smart plug for the flexible-load integration test (Debian's python3-paho-mqtt).

Usage: tasmota_plug.py PORT USERNAME PASSWORD CLIENT_ID PLUG...
Listens on cmnd/<plug>/POWER; on ON/OFF (any case) it switches and reports stat/<plug>/POWER ON|OFF, as Tasmota
does. Prints "READY <port>" once subscribed, and "<plug> ON|OFF" for every switching. Exits on SIGTERM.
"""
import signal
import sys

import paho.mqtt.client as mqtt


def main():
    port, username, password, client_id = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    plugs = sys.argv[5:]
    client = mqtt.Client(client_id=client_id, clean_session=True)
    client.username_pw_set(username, password)

    def on_connect(c, _userdata, _flags, rc):
        if rc != 0:
            print(f"connect refused: {rc}", flush=True)
            sys.exit(1)
        c.subscribe([(f"cmnd/{plug}/POWER", 1) for plug in plugs])

    def on_subscribe(_c, _userdata, _mid, _granted):
        print(f"READY {port}", flush=True)

    def on_message(c, _userdata, message):
        plug = message.topic.split("/")[1]
        command = message.payload.decode("utf-8", "replace").strip().upper()
        if command not in ("ON", "OFF"):
            print(f"{plug} ignores {command!r}", flush=True)
            return
        print(f"{plug} {command}", flush=True)
        c.publish(f"stat/{plug}/POWER", command, qos=1)

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    client.connect("127.0.0.1", port, keepalive=30)
    client.loop_forever()


if __name__ == "__main__":
    main()
