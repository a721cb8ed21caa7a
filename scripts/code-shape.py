#!/usr/bin/env python3
"""The shape of src/: the longest functions, the parameter lists over 6, and
the import cycles between modules.

    python3 scripts/code-shape.py [--max-lines 80] [--max-params 6] [--check [--cycles-only]]

Functions are found by their `fn` line and measured to the matching closing
brace (strings, chars and comments are skipped when counting braces). Tests
(`#[cfg(test)] mod`, `tests.rs`, `tests/`) are left out. A module's imports are
its `use crate::a::b` / `crate::a::b` paths; a module is a file (`a/b.rs` and
`a/b/mod.rs` are `a::b`), and an edge `a::b -> c::d` counts between the
top-level modules and, inside one top-level module, between its children.
With `--check` the exit status is 1 when any limit is passed or any cycle
found.
"""
import argparse
import os
import re
import sys
from collections import defaultdict

SRC = "src"


def module_of(rel):
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return "::".join(parts) or "crate"


def strip(text):
    """Blanks strings, chars and comments, keeping newlines and braces' places."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|\\x..|[^\\'])'", text[i:])
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


FN = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+\"C\"\s+)?fn\s+(\w+)")


def functions(path, rel):
    text = strip(open(path, encoding="utf-8").read())
    lines = text.split("\n")
    result = []
    test_depth = None
    depth = 0
    pending_cfg_test = False
    for no, line in enumerate(lines):
        if re.search(r"#\[cfg\(test\)\]", open_lines[rel][no] if rel in open_lines else line):
            pending_cfg_test = True
        m = FN.match(line)
        if m and test_depth is None:
            # Signature up to the body's opening brace (or a `;`).
            sig, j = "", no
            while j < len(lines):
                sig += lines[j] + "\n"
                if "{" in lines[j] or lines[j].rstrip().endswith(";"):
                    break
                j += 1
            if "{" in lines[j]:
                body_depth, k, start = 0, j, lines[j].index("{")
                end = None
                for k in range(j, len(lines)):
                    seg = lines[k][start:] if k == j else lines[k]
                    for ch in seg:
                        if ch == "{":
                            body_depth += 1
                        elif ch == "}":
                            body_depth -= 1
                            if body_depth == 0:
                                end = k
                                break
                    if end is not None:
                        break
                params = param_count(sig)
                result.append((m.group(1), no + 1, (end or k) - no + 1, params))
        if pending_cfg_test and re.match(r"\s*(pub\s+)?mod\s+\w+\s*\{", line):
            test_depth = depth
            pending_cfg_test = False
        elif pending_cfg_test and line.strip() and not line.strip().startswith("#"):
            pending_cfg_test = False
        depth += line.count("{") - line.count("}")
        if test_depth is not None and depth <= test_depth:
            test_depth = None
    return result


def param_count(sig):
    name = re.search(r"\bfn\s+\w+", sig)
    start = sig.find("(", name.end() if name else 0)
    if start < 0:
        return 0
    depth, args, cur = 0, [], ""
    for ch in sig[start + 1:].replace("->", "  "):
        if ch in "(<[":
            depth += 1
        elif ch in ")>]":
            if depth == 0 and ch == ")":
                break
            depth -= 1
        if ch == "," and depth == 0:
            args.append(cur)
            cur = ""
        else:
            cur += ch
    args.append(cur)
    args = [a.strip() for a in args if a.strip()]
    return len([a for a in args if not re.match(r"^&?('\w+\s+)?(mut\s+)?self$", a)])


open_lines = {}


def imports(text, module):
    found = set()
    for m in re.finditer(r"\b(?:crate|super)::([\w:{}, \n*]+)", text):
        path = m.group(0)
        base = module.split("::") if path.startswith("super") else []
        if path.startswith("super"):
            # super:: from a file module refers to its parent.
            base = base[:-1]
            path = "crate::" + "::".join(base + [path[len("super::"):]]) if base else "crate::" + path[len("super::"):]
        parts = re.split(r"::", path[len("crate::"):])
        head = [p for p in parts if re.fullmatch(r"\w+", p)]
        if head:
            found.add(tuple(head[:2]))
    # Grouped imports `use crate::{a, b::c}`.
    for m in re.finditer(r"use crate::\{([^;]*)\};", text, re.S):
        for item in re.split(r",", m.group(1)):
            item = item.strip()
            parts = [p for p in re.split(r"::", item) if re.fullmatch(r"\w+", p.strip("{} \n"))]
            if parts:
                found.add(tuple(p.strip("{} \n") for p in parts[:2]))
    return found


def graph(files):
    mods = {module_of(rel) for rel in files}
    edges = defaultdict(set)
    for rel, path in files.items():
        me = module_of(rel)
        text = strip_keep_paths(open(path, encoding="utf-8").read())
        mine = me.split("::")
        for target in imports(text, me):
            top = target[0]
            if top not in {m.split("::")[0] for m in mods}:
                continue
            if top != mine[0]:
                edges[mine[0]].add(top)
            elif len(mine) > 1 and len(target) > 1:
                a, b = "::".join(mine[:2]), "::".join(target[:2])
                if a != b and b in mods:
                    edges[a].add(b)
    return edges


def strip_keep_paths(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"(?s)#\[cfg\(test\)\]\s*mod \w+ \{.*", "", text)
    return text


def cycles(edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            strong(v)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-lines", type=int, default=80)
    ap.add_argument("--max-params", type=int, default=6)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--cycles-only", action="store_true", help="with --check: fail on cycles alone")
    args = ap.parse_args()
    files = {}
    for dirpath, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".rs") and name != "tests.rs":
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, SRC).replace(os.sep, "/")
                if "/tests/" in "/" + rel:
                    continue
                files[rel] = path
                open_lines[rel] = open(path, encoding="utf-8").read().split("\n")
    fns = []
    for rel, path in sorted(files.items()):
        for name, line, length, params in functions(path, rel):
            fns.append((length, params, f"src/{rel}:{line}", name))
    long_fns = sorted((f for f in fns if f[0] > args.max_lines), reverse=True)
    many = sorted((f for f in fns if f[1] > args.max_params), key=lambda f: -f[1])
    longest = max(fns)
    print(f"functions: {len(fns)}; longest: {longest[3]} ({longest[2]}) {longest[0]} lines")
    print(f"over {args.max_lines} lines: {len(long_fns)}")
    for length, _, where, name in long_fns:
        print(f"  {length:4} {name} {where}")
    print(f"over {args.max_params} parameters: {len(many)}")
    for _, params, where, name in many:
        print(f"  {params:4} {name} {where}")
    found = cycles(graph(files))
    print(f"import cycles: {len(found)}")
    for c in found:
        print("  " + " <-> ".join(c))
    if args.check and (found or (not args.cycles_only and (long_fns or many))):
        sys.exit(1)


if __name__ == "__main__":
    main()
