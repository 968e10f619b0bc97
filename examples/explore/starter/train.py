# A stand-in for a training script: its "model" is one parameter in params.json, its score how close that is to a
# hidden optimum (higher is better). The proposer nudges the parameter; real work would train and evaluate here.
import json, os, time
params = json.load(open("params.json"))
time.sleep(0.2 if os.environ.get("MAZE_MODE") == "debug" else 0.5)
x = params["x"]
print("trained with x =", x)
print("score:", round(1.0 - (x - 0.7) ** 2, 6))
