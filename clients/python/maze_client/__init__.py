"""A client of Maze's HTTP API (``maze server``), using only the Python standard library.

Ten lines from an agent to a finished workflow::

    from maze_client import MazeClient

    client = MazeClient()  # $MAZE_SERVER or http://127.0.0.1:8080; token from $MAZE_API_TOKEN or ~/.maze/server
    [wid] = client.submit({"name": "answer", "tasks": [
        {"id": "ask", "kind": "llm", "inputs": {"model": "qwen3-32b", "prompt": "Name a prime."}},
        {"id": "check", "kind": "sim", "dependsOn": ["ask"], "inputs": {"seconds": 0}},
    ]})
    done = client.wait(wid)
    print(done["state"], done["tasks"][0]["output"]["text"])

Errors from the server are raised as :class:`MazeError` with the RFC 9457 problem document it sent.
"""

from .client import MazeClient, MazeError, Event

__all__ = ["MazeClient", "MazeError", "Event"]
