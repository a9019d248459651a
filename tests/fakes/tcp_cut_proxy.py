#!/usr/bin/env python3
"""A TCP proxy on loopback that drops connections mid-stream, to test reconnect-and-retry.

usage: tcp_cut_proxy.py LISTEN_PORT TARGET_PORT CUT_AFTER_BYTES CUT_CONNECTIONS

Forwards 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT. A connection is closed abruptly (both
sides) once CUT_AFTER_BYTES bytes went from the client to the server, until CUT_CONNECTIONS
connections were cut; later ones are forwarded untouched (connections that send less, such as
a readiness probe, are never cut). Prints "cut N" to stdout for each cut.
"""
import socket
import sys
import threading

listen_port, target_port, cut_after, cut_connections = (int(a) for a in sys.argv[1:5])
lock = threading.Lock()
state = {"cuts": 0}


def pump(src, dst, counted, limit, on_cut):
    total = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if counted and limit is not None and total + len(data) >= limit:
                if on_cut():
                    return
                limit = None
            dst.sendall(data)
            total += len(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def handle(client):
    server = socket.create_connection(("127.0.0.1", target_port))

    def on_cut():
        with lock:
            if state["cuts"] >= cut_connections:
                return False
            state["cuts"] += 1
            print("cut", state["cuts"], flush=True)
        for s in (client, server):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
        return True

    threading.Thread(target=pump, args=(client, server, True, cut_after, on_cut), daemon=True).start()
    threading.Thread(target=pump, args=(server, client, False, None, None), daemon=True).start()


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", listen_port))
listener.listen(64)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
