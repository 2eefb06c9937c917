#!/usr/bin/env python3
"""Cuts an upstream Smithy JSON AST model down to some operations of its service and the shapes
they reach, with every documentation text removed (the project writes its own).

    scripts/cut-model.py UPSTREAM.json OUT.json Operation[,Operation...] [DOCS.json]

DOCS.json, if given, maps shape ids to the project's own documentation text. The facts of
each kept shape are the upstream ones; tests/tests/generator.rs checks that they still agree.
"""
import json
import sys

DOC = "smithy.api#documentation"


def strip(v):
    """Drops documentation traits, and the `documentation` texts of endpoint rules and tests."""
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in (DOC, "documentation")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def main():
    upstream, out, ops = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    docs = json.load(open(sys.argv[4])) if len(sys.argv) > 4 else {}
    model = json.load(open(upstream))
    shapes = model["shapes"]
    (service_id,) = [k for k, v in shapes.items() if v["type"] == "service"]
    ns = service_id.split("#")[0]
    keep_ops = [f"{ns}#{o}" for o in ops]
    seen = set()
    todo = [service_id] + keep_ops
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in shapes:
            continue
        seen.add(sid)
        s = shapes[sid]
        if s["type"] == "service":
            continue
        for key in ("input", "output"):
            if key in s:
                todo.append(s[key]["target"])
        for e in s.get("errors", []):
            todo.append(e["target"])
        for m in s.get("members", {}).values():
            todo.append(m["target"])
        for k in ("member", "key", "value"):
            if k in s:
                todo.append(s[k]["target"])
    cut = {}
    for sid in sorted(seen):
        s = strip(shapes[sid])
        if sid == service_id:
            s["operations"] = [{"target": o} for o in keep_ops]
            s.pop("resources", None)
        if sid in docs:
            s.setdefault("traits", {})[DOC] = docs[sid]
        cut[sid] = s
    json.dump({"smithy": model["smithy"], "shapes": cut}, open(out, "w"), indent=2, sort_keys=False)
    open(out, "a").write("\n")


main()
