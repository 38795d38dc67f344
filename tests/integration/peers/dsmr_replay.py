#!/usr/bin/python3
"""A P1-over-TCP bridge (as ser2net or a P1 dongle) replaying DSMR telegram files for tests.

Usage: dsmr_replay.py --port 0 [--interval-ms 1000] TELEGRAM.txt...
Prints `READY <port>` once it listens; every client gets the telegrams in turn, forever, one per interval
(bytes as in the files). A client that goes away is dropped; others may connect. SIGTERM: exit 0.
"""
import argparse
import signal
import socket
import sys
import threading
import time


def serve(client, telegrams, interval_s):
    try:
        index = 0
        while True:
            client.sendall(telegrams[index % len(telegrams)])
            index += 1
            time.sleep(interval_s)
    except OSError:
        pass
    finally:
        client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--interval-ms", type=int, default=1000)
    parser.add_argument("telegrams", nargs="+")
    args = parser.parse_args()
    try:
        telegrams = [open(path, "rb").read() for path in args.telegrams]
    except OSError as error:
        print(f"dsmr_replay: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(4)
    print(f"READY {listener.getsockname()[1]}", flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, telegrams, args.interval_ms / 1000), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
