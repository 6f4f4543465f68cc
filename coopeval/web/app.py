"""The coopeval server: Voilà for the dashboards, plus the light participant page at
:data:`PARTICIPANT_PATH` served by the same process without a kernel.

Run as ``python -m coopeval.web.app <dashboards> [Voilà options]`` (``coopeval serve`` does).
The project (``COOPEVAL_PROJECT``) is opened once with the participant role; database calls run
in a thread pool so that the server keeps answering while one submission is written.
"""

from __future__ import annotations

import asyncio
import os
from functools import cache

import tornado.web
from jupyter_server.utils import url_path_join
from voila.app import Voila

from coopeval.store.participant_access import lang_from_query, token_from_query
from coopeval.web.participant_page import handle_submit, render_form

__all__ = ["CoopevalVoila", "PARTICIPANT_PATH", "main"]

#: Path of the light participant page (a personal link is ``<server>/<PARTICIPANT_PATH>?token=…``).
PARTICIPANT_PATH = "coopeval/participation"


@cache
def _project():  # noqa: ANN202
    from coopeval.store import Project

    where = os.environ.get("COOPEVAL_PROJECT")
    return Project.open(where, role="participant") if where else None


class ParticipantHandler(tornado.web.RequestHandler):
    """GET: the form of the token's open round; POST: store the answers once."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")  # the token never leaves in a Referer
        self.set_header("X-Content-Type-Options", "nosniff")

    def check_xsrf_cookie(self) -> None:  # the personal token in the URL is the credential
        return

    def _who(self) -> tuple[str | None, str]:
        query = self.request.query
        return token_from_query(query), lang_from_query(query)

    async def get(self) -> None:
        token, lang = self._who()
        page = await asyncio.get_running_loop().run_in_executor(None, render_form, _project(), token, lang)
        self.finish(page)

    async def post(self) -> None:
        token, lang = self._who()
        form = {k: self.get_body_argument(k) for k in self.request.body_arguments}
        page = await asyncio.get_running_loop().run_in_executor(None, handle_submit, _project(), token, form, lang)
        self.finish(page)


class CoopevalVoila(Voila):
    """Voilà with the light participant page."""

    def init_handlers(self) -> list:
        _project()  # opened (and its framework read) before the first phone arrives
        ours = [(url_path_join(self.server_url, PARTICIPANT_PATH), ParticipantHandler)]
        return ours + super().init_handlers()


main = CoopevalVoila.launch_instance

if __name__ == "__main__":
    main()
