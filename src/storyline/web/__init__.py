"""The local web app over the story store (``storyline serve``; needs the web extra).

:func:`create_app` gives the ASGI app of a store; :func:`serve` runs it with uvicorn. Pages are
rendered on the server from the same typed objects and HTML report as ``storyline brief``; the
JSON API mirrors them and is documented by FastAPI's OpenAPI page, served from local files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storyline import settings

__all__ = ["create_app", "serve"]


def create_app(store_path: str | Path, **options: Any) -> Any:
    """The app over the store at ``store_path`` (see :func:`storyline.web.app.create_app`)."""
    from storyline.web.app import create_app as make

    return make(store_path, **options)


def serve(
    store_path: str | Path,
    *,
    host: str = settings.WEB_DEFAULT_HOST,
    port: int = settings.WEB_DEFAULT_PORT,
    **options: Any,
) -> None:
    """Serve the app on ``host:port`` until interrupted."""
    import uvicorn

    uvicorn.run(create_app(store_path, host=host, **options), host=host, port=port)
