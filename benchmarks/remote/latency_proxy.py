"""A TCP proxy that delays every byte by a fixed time in each direction: added network latency
for the remote benchmark where the kernel has no `netem` queueing discipline.

Each chunk read from one side is written to the other `delay` seconds after it arrived, in
order, without limiting bandwidth — a round trip through the proxy takes 2 × delay longer, as
through a link with that one-way latency. Connection set-up to the proxy itself is not
delayed (the first bytes of every exchange are, so a TLS or XRootD handshake pays its round
trips).

Usage: python latency_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS   (127.0.0.1 on both sides)
Prints "ready" once listening.
"""
import asyncio
import sys


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    delivery = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(1 << 18)
            queue.put_nowait((loop.time() + delay, data))
            if not data:
                break
        await delivery
    except (ConnectionError, asyncio.CancelledError):
        delivery.cancel()
    finally:
        writer.close()


async def main(listen, target, delay):
    async def connect(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, server_writer, delay), pump(server_reader, client_writer, delay),
                             return_exceptions=True)

    server = await asyncio.start_server(connect, "127.0.0.1", listen)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000))
