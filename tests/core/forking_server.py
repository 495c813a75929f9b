"""A tiny HTTP server that behaves like Sanic's and uvicorn's multi-process mode, for the tests.

The main process binds the port and forks a worker that serves ``GET /health`` on the inherited
socket; the main process only waits. After a ``kill -9`` of the main process the worker keeps the
port — the situation the supervisor must clean up. ``python forking_server.py PORT``.
"""

import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Health(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's API
        body = f'{{"status": "ok", "worker": {os.getpid()}}}'.encode()
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def main() -> None:
    port = int(sys.argv[1])
    server = HTTPServer(("127.0.0.1", port), Health, bind_and_activate=False)
    server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.server_bind()
    server.server_activate()
    worker = os.fork()
    if worker == 0:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        print(f"worker {os.getpid()} serving on {port}", flush=True)
        server.serve_forever()
        return
    server.socket.close()
    signal.signal(signal.SIGTERM, lambda *_: (os.kill(worker, signal.SIGTERM), os._exit(0)))
    print(f"main {os.getpid()} started worker {worker}", flush=True)
    os.waitpid(worker, 0)


if __name__ == "__main__":
    main()
