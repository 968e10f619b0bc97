"""The client itself: submissions, workflow state, cancellation and event streams over HTTP."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Union

Workflow = Dict[str, Any]
"""A workflow as the workflow format describes it (docs/workflow-format.md): ``name``, ``tasks``, ..."""

TERMINAL = ("FINISHED", "FAILED", "CANCELLED")


class MazeError(Exception):
    """A request the server refused (``status`` >= 400) or could not be reached (``status`` 0).

    ``problem`` is the server's RFC 9457 problem document (``title``, ``detail`` and, for invalid workflows,
    ``errors``: each with ``workflow``, ``task``, ``field`` and ``message``), or ``None``.
    """

    def __init__(self, status: int, message: str, problem: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        self.status = status
        self.problem = problem

    @property
    def errors(self) -> List[Dict[str, Any]]:
        """The validation errors the server listed (empty when it listed none)."""
        return list((self.problem or {}).get("errors", []))


@dataclass(frozen=True)
class Event:
    """One stored state change, as the event stream sends it: its sequence number, kind and data."""

    id: int
    kind: str
    data: Dict[str, Any]


class MazeClient:
    """Talks to one ``maze server``.

    :param url: the server, e.g. ``http://127.0.0.1:8080``; default ``$MAZE_SERVER``, else ``http://127.0.0.1:8080``
    :param token: the API token; default ``$MAZE_API_TOKEN``, else the ``api-token`` file in ``data_dir``
    :param data_dir: the server's data directory (where it keeps its token); default ``$MAZE_DATA_DIR``, else
        ``~/.maze/server``
    :param timeout: seconds a request may take
    """

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None,
                 data_dir: Optional[Union[str, Path]] = None, timeout: float = 60.0):
        self.url = (url or os.environ.get("MAZE_SERVER") or "http://127.0.0.1:8080").rstrip("/")
        self.timeout = timeout
        self._token = token or os.environ.get("MAZE_API_TOKEN") or self._token_from(data_dir)

    @staticmethod
    def _token_from(data_dir: Optional[Union[str, Path]]) -> str:
        directory = Path(data_dir or os.environ.get("MAZE_DATA_DIR") or Path.home() / ".maze" / "server")
        file = directory / "api-token"
        try:
            return file.read_text(encoding="utf-8").strip()
        except OSError as e:
            raise MazeError(0, f"no API token: set $MAZE_API_TOKEN or pass token=, or run where {file} is readable "
                               f"({e.strerror})") from None

    # ------------------------------------------------------------------ requests

    def _request(self, method: str, path: str, body: Optional[bytes] = None,
                 headers: Optional[Dict[str, str]] = None, stream: bool = False):
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Authorization", "Bearer " + self._token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            response = urllib.request.urlopen(request, timeout=None if stream else self.timeout)
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                problem = json.loads(text)
            except ValueError:
                problem = None
            detail = (problem or {}).get("detail", text)
            raise MazeError(e.code, f"{e.code} {(problem or {}).get('title', e.reason)}: {detail}", problem) from None
        except urllib.error.URLError as e:
            raise MazeError(0, f"no Maze server at {self.url} ({e.reason}); start one with bin/maze server") from None
        if stream:
            return response
        with response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text else {}

    # ------------------------------------------------------------------ workflows

    def submit(self, workflows: Union[Workflow, List[Workflow], str], idempotency_key: Optional[str] = None,
               yaml: bool = False) -> List[str]:
        """Submits one workflow or a list (dicts, or JSON/YAML text with ``yaml=True``); returns their ids.

        The server answers once the workflows are stored durably. With ``idempotency_key``, a retry of the same
        submission (after a timeout, say) returns the first answer instead of submitting again.

        :raises MazeError: 400 with ``errors`` when any workflow is invalid (then none was accepted)
        """
        if isinstance(workflows, str):
            body = workflows.encode("utf-8")
        else:
            body = json.dumps(workflows).encode("utf-8")
        headers = {"Content-Type": "application/yaml" if yaml else "application/json"}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        answer = self._request("POST", "/api/v1/workflows", body, headers)
        return [w["id"] for w in answer["workflows"]]

    def add_tasks(self, workflow_id: str, tasks: List[Dict[str, Any]]) -> List[str]:
        """Adds tasks to a running workflow (an agent deciding its next step); returns their ids once stored.

        They may depend on the workflow's tasks and on each other, and template their outputs. Submit the workflow
        with ``"open": True`` to keep it running while you decide, and :meth:`close` it when done.

        :raises MazeError: 400 with ``errors`` when they are invalid (a cycle, an unknown dependency, ...), 409 when
            the workflow ended or was closed, 404 when there is no such workflow
        """
        answer = self._request("POST", "/api/v1/workflows/" + workflow_id + "/tasks",
                               json.dumps({"tasks": tasks}).encode("utf-8"), {"Content-Type": "application/json"})
        return list(answer["added"])

    def close(self, workflow_id: str) -> None:
        """Closes an open workflow: it ends once its tasks have. :raises MazeError: 409 when closed or ended."""
        self._request("POST", "/api/v1/workflows/" + workflow_id + "/close", b"", {"Content-Type": "application/json"})

    def get(self, workflow_id: str) -> Dict[str, Any]:
        """The workflow's state: ``state``, ``submittedAt``, ``finishedAt``, ``error`` and ``tasks`` (each with
        ``id``, ``state``, ``attempts``, ``node``, times, ``output``, ``error``, ``pendingReason``)."""
        return self._request("GET", "/api/v1/workflows/" + workflow_id)

    def workflows(self, status: Optional[str] = None, name: Optional[str] = None,
                  submitted_after: Optional[str] = None, submitted_before: Optional[str] = None,
                  page_size: int = 100) -> Iterator[Dict[str, Any]]:
        """Every accepted workflow the filters select, newest first, read page by page as the iteration goes:
        ``id``, ``name``, ``status`` (RUNNING, FINISHED, FAILED, CANCELLED), ``submittedAt`` and, once ended,
        ``endedAt``. Times are ISO-8601 instants or seconds since the epoch."""
        query = {"status": status, "name": name, "submittedAfter": submitted_after,
                 "submittedBefore": submitted_before, "limit": page_size}
        query = {k: v for k, v in query.items() if v is not None}
        while True:
            page = self._request("GET", "/api/v1/workflows?" + urllib.parse.urlencode(query))
            yield from page["workflows"]
            if "nextCursor" not in page:
                return
            query["cursor"] = page["nextCursor"]

    def running(self) -> List[Dict[str, Any]]:
        """The workflows the server is running: ``id``, ``name``, ``status``, ``submittedAt``."""
        return list(self.workflows(status="RUNNING"))

    def cancel(self, workflow_id: str) -> None:
        """Cancels a running workflow. :raises MazeError: 404 unknown, 409 already ended."""
        self._request("DELETE", "/api/v1/workflows/" + workflow_id)

    def wait(self, workflow_id: str, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Waits until the workflow has ended (following its event stream) and returns its final state.

        :raises TimeoutError: when ``timeout`` seconds pass first
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        state = self.get(workflow_id)
        if state["state"] in TERMINAL:
            return state
        for _ in self.events(workflow_id, timeout=timeout):
            if deadline is not None and time.monotonic() > deadline:
                break
        state = self.get(workflow_id)
        if state["state"] not in TERMINAL:
            raise TimeoutError(f"workflow {workflow_id} is still {state['state']} after {timeout} s")
        return state

    # ------------------------------------------------------------------ events

    def events(self, workflow_id: Optional[str] = None, last_event_id: Optional[int] = None,
               timeout: Optional[float] = None) -> Iterator[Event]:
        """Yields stored events as they happen: of one workflow from its start to its ``WorkflowEnded`` (the
        iteration then ends), or of everything from now on. After a disconnect, resume with ``last_event_id`` (the
        ``id`` of the last event you saw): nothing is lost or repeated.
        """
        path = "/api/v1/workflows/" + workflow_id + "/events" if workflow_id else "/api/v1/events"
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        response = self._request("GET", path, headers=headers, stream=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        with response:
            event_id, kind, data = None, None, []
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("id:"):
                    event_id = int(line[3:].strip())
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())
                elif line == "" and data:
                    yield Event(event_id if event_id is not None else -1, kind or "message", json.loads("\n".join(data)))
                    event_id, kind, data = None, None, []
                if deadline is not None and time.monotonic() > deadline:
                    return
