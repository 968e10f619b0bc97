# Proposes a child experiment: reads the base experiment's params.json (already copied into this workspace) and moves x by a
# random step. An LLM-driven proposer would edit code here instead.
import json, os, random
random.seed(int(os.environ["MAZE_EXPERIMENT"]))
params = json.load(open("params.json"))
if os.environ.get("MAZE_NEW_TRACE") == "1":
    params["x"] = round(random.uniform(0, 1), 3)
else:
    params["x"] = round(min(1, max(0, params["x"] + random.gauss(0, 0.15))), 3)
json.dump(params, open("params.json", "w"))
print("proposed x =", params["x"])
