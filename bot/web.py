"""The one ASGI app of the process: channel webhooks and `/healthz`, served by uvicorn."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route


async def healthz(request: Request) -> JSONResponse:
    """Liveness for load balancers and operators."""
    return JSONResponse({"status": "ok"})


def create_web_app(routes: Sequence[BaseRoute]) -> Starlette:
    """The channels' routes plus `/healthz`."""
    return Starlette(routes=[*routes, Route("/healthz", healthz, methods=["GET"])])


class Server(uvicorn.Server):
    """uvicorn without its own signal handling: the runner owns SIGINT/SIGTERM and shutdown."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave signals to the runner."""
        yield


def make_server(app: Starlette, host: str, port: int) -> Server:
    """A quiet uvicorn server for `app`."""
    # uvicorn's own log configuration off: its lines go through the process's (plain or JSON,
    # one event a line).
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", lifespan="off", log_config=None
    )
    return Server(config)
