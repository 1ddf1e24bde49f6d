"""A TCP proxy that delays every byte by a fixed time in each direction: added network latency
for the remote benchmark where the kernel has no `netem` queueing discipline.

Each chunk received from one side is sent on to the other `delay` seconds after it arrived,
in order, without limiting bandwidth — a round trip through the proxy takes 2 × delay longer,
as through a link with that one-way latency. Connection set-up to the proxy itself is not
delayed (the first bytes of every exchange are, so a TLS or XRootD handshake pays its round
trips).

Each direction of a connection is two threads with blocking sockets: one receives chunks of up
to 1 MiB and notes when each arrived, the other sends each chunk once it is due. That is one
copy into the process and one out, with Python's overhead per chunk, not per byte (the earlier
asyncio version buffered and re-sliced every chunk and cost about 0.1 s of CPU per 100 MB, on
the cores the client and servers need). (splice(2) through a pipe would avoid even those two
copies, but an unprivileged pipe holds at most 1 MiB — /proc/sys/fs/pipe-max-size —, which at
25 ms each way caps a connection at 40 MB/s.)

Usage: python latency_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS   (127.0.0.1 on both sides)
Prints "ready" once listening.
"""
import queue
import socket
import sys
import threading
import time

CHUNK_BYTES = 1 << 20


def forward(source, target, delay, finished):
    """Moves bytes from socket `source` to socket `target`, each chunk `delay` seconds after it
    arrived; on end of stream, shuts `target`'s sending side once everything is delivered.
    Calls `finished` when both of its threads are done."""
    chunks = queue.Queue()  # (arrival time, bytes), None at end of stream

    def receive():
        try:
            while data := source.recv(CHUNK_BYTES):
                chunks.put((time.monotonic(), data))
        except OSError:
            pass
        finally:
            chunks.put(None)
            finished()

    def deliver():
        try:
            while (chunk := chunks.get()) is not None:
                arrived, data = chunk
                wait = arrived + delay - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            # The receiving side went away: stop the other direction too.
            for side in (source, target):
                try:
                    side.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        finally:
            finished()

    threading.Thread(target=receive, daemon=True).start()
    threading.Thread(target=deliver, daemon=True).start()


def closer(*sockets, threads):
    """A function for each of `threads` threads to call when done: the last call closes
    `sockets`."""
    remaining = [threads]
    lock = threading.Lock()

    def finished():
        with lock:
            remaining[0] -= 1
            last = remaining[0] == 0
        if last:
            for side in sockets:
                side.close()
    return finished


def main(listen, target_port, delay):
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen))
    server.listen(64)
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target_port))
        except OSError:
            client.close()
            continue
        for side in (client, upstream):
            side.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        finished = closer(client, upstream, threads=4)
        forward(client, upstream, delay, finished)
        forward(upstream, client, delay, finished)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000)
