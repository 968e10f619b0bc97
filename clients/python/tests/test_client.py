"""The Python client against a real ``maze server``: run by MazeServerPythonClientTest (maze-cli) with the server's
URL and token in $MAZE_SERVER and $MAZE_API_TOKEN; standard library only."""

import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maze_client import MazeClient, MazeError  # noqa: E402


class ClientTest(unittest.TestCase):

    def setUp(self):
        self.maze = MazeClient()

    def test_submit_wait_and_read_a_workflow(self):
        [wid] = self.maze.submit({"name": "py", "tasks": [
            {"id": "a", "kind": "sim", "inputs": {"seconds": 0.05, "output": {"text": "hello"}}},
            {"id": "b", "kind": "sim", "dependsOn": ["a"], "inputs": {"seconds": 0}},
        ]})
        done = self.maze.wait(wid, timeout=30)
        self.assertEqual("FINISHED", done["state"])
        self.assertEqual("hello", done["tasks"][0]["output"]["text"])
        self.assertEqual(1, done["tasks"][1]["attempts"])

    def test_events_stream_from_start_to_end_and_resume(self):
        [wid] = self.maze.submit("name: yaml\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 0}}\n", yaml=True)
        events = list(self.maze.events(wid, timeout=30))
        self.assertEqual("WorkflowAccepted", events[0].kind)
        self.assertEqual("WorkflowEnded", events[-1].kind)
        self.assertEqual("FINISHED", events[-1].data["state"])
        resumed = list(self.maze.events(wid, last_event_id=events[1].id, timeout=30))
        self.assertEqual(events[2:], resumed)

    def test_an_invalid_workflow_is_refused_with_its_errors(self):
        with self.assertRaises(MazeError) as refused:
            self.maze.submit({"name": "bad", "tasks": [{"id": "a", "kind": "nope"}]})
        self.assertEqual(400, refused.exception.status)
        self.assertIn("a", [e.get("task") for e in refused.exception.errors])

    def test_cancel_and_idempotency(self):
        body = {"name": "slow", "tasks": [{"id": "a", "kind": "sim", "inputs": {"seconds": 300}}]}
        first = self.maze.submit(body, idempotency_key="py-slow-1")
        self.assertEqual(first, self.maze.submit(body, idempotency_key="py-slow-1"))
        self.assertIn(first[0], [w["id"] for w in self.maze.running()])
        self.maze.cancel(first[0])
        self.assertEqual("CANCELLED", self.maze.wait(first[0], timeout=30)["state"])
        with self.assertRaises(MazeError) as again:
            self.maze.cancel(first[0])
        self.assertEqual(409, again.exception.status)

    def test_an_agent_adds_steps_to_an_open_workflow_and_closes_it(self):
        [wid] = self.maze.submit({"name": "agent", "open": True, "tasks": [
            {"id": "plan", "kind": "sim", "inputs": {"seconds": 0, "output": {"tool": "search"}}}]})
        added = self.maze.add_tasks(wid, [{"id": "act", "kind": "sim", "dependsOn": ["plan"],
                                           "inputs": {"seconds": 0, "output": {"used": "{{tasks.plan.output.tool}}"}}}])
        self.assertEqual(["act"], added)
        with self.assertRaises(MazeError) as cycle:
            self.maze.add_tasks(wid, [{"id": "p", "kind": "sim", "dependsOn": ["q"], "inputs": {"seconds": 0}},
                                      {"id": "q", "kind": "sim", "dependsOn": ["p"], "inputs": {"seconds": 0}}])
        self.assertEqual(400, cycle.exception.status)
        self.maze.close(wid)
        done = self.maze.wait(wid, timeout=30)
        self.assertEqual("FINISHED", done["state"])
        self.assertEqual("search", done["tasks"][1]["output"]["used"])
        with self.assertRaises(MazeError) as late:
            self.maze.add_tasks(wid, [{"id": "z", "kind": "sim", "inputs": {"seconds": 0}}])
        self.assertEqual(409, late.exception.status)

    def test_workflows_are_listed_by_filter_across_pages(self):
        ids = self.maze.submit([{"name": "paged", "tasks": [{"id": "a", "kind": "sim", "inputs": {"seconds": 0}}]}
                                for _ in range(5)])
        for wid in ids:
            self.maze.wait(wid, timeout=30)
        listed = [w["id"] for w in self.maze.workflows(name="paged", status="FINISHED", page_size=2)]
        self.assertEqual(list(reversed(ids)), listed)
        self.assertEqual([], list(self.maze.workflows(name="paged", submitted_before="2000-01-01T00:00:00Z")))

    def test_a_wrong_token_is_refused(self):
        with self.assertRaises(MazeError) as refused:
            MazeClient(token="not-the-token-at-all").running()
        self.assertEqual(401, refused.exception.status)


if __name__ == "__main__":
    unittest.main()
