# What the Python SDK signs on receipt: json.dumps(payload, separators=(",", ":")), ensure_ascii left on.
# Usage: python3 reserialise.py IN OUT (one message per line, UTF-8; one payload per line out).
import json
import sys

with open(sys.argv[1], encoding="utf-8", newline="\n") as f:
    lines = [l for l in f.read().split("\n") if l]
with open(sys.argv[2], "w", encoding="ascii", newline="\n") as out:
    for line in lines:
        out.write(json.dumps(json.loads(line)["payload"], separators=(",", ":")) + "\n")
