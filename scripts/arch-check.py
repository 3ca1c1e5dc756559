#!/usr/bin/env python3
"""Checks the shape of src/ that docs/ARCHITECTURE.md promises.

- no import circles between modules (a module is a file under src/, `foo/mod.rs` is `foo`);
- no module of src/commands/ imports another command module;
- no file of src/commands/ over 300 lines;
- the mock shares no code with the client side (it may use error, provider and duration).

A module depends on another when its non-test code names it by a `crate::` path
(in a `use` or inline) or by `super::`. Test modules (`#[cfg(test)] mod tests`) are
ignored. Function length is checked by clippy (`too_many_lines`, clippy.toml).
Exit 0 when all hold; otherwise each violation is printed and the exit code is 1.
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
MAX_COMMAND_LINES = 300
MOCK_MAY_USE = {"error", "provider", "duration", "mock"}


def module_of(path):
    rel = os.path.relpath(path, ROOT)[: -len(".rs")]
    parts = rel.split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def strip_tests(text):
    """Drops `#[cfg(test)]` items (brace-matched) and comments."""
    text = re.sub(r"//[^\n]*", "", text)
    out, i = [], 0
    while True:
        m = re.search(r"#\[cfg\(test\)\]", text[i:])
        if not m:
            out.append(text[i:])
            break
        start = i + m.start()
        out.append(text[i:start])
        j = text.find("{", start)
        semi = text.find(";", start)
        if semi != -1 and (j == -1 or semi < j):
            i = semi + 1
            continue
        depth = 0
        k = j
        while k < len(text):
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        i = k + 1
    return "".join(out)


def expand_uses(text):
    """Yields the paths named by the file: `use a::{b, c::d}` gives a::b and a::c::d."""
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        paths.extend(flatten(m.group(1).replace("\n", " ")))
    for m in re.finditer(r"(?<![\w:])((?:crate|super)(?:::\w+)+)", text):
        paths.append(m.group(1))
    return paths


def flatten(tree):
    tree = tree.strip()
    m = re.match(r"^(.*?)::\{(.*)\}$", tree, re.S)
    if not m:
        return [re.sub(r"\s+as\s+\w+$", "", tree)]
    prefix, inner = m.group(1), m.group(2)
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    out = []
    for it in items:
        it = it.strip()
        if not it:
            continue
        if it == "self":
            out.append(prefix)
        else:
            out.extend(flatten(prefix + "::" + it))
    return out


def resolve(path, here, modules):
    parts = path.split("::")
    if parts[0] == "crate":
        base, rest = (), parts[1:]
    elif parts[0] == "super":
        base = here
        rest = parts
        while rest and rest[0] == "super":
            base = base[:-1]
            rest = rest[1:]
    else:
        return None
    best = None
    cur = base
    if cur in modules:
        best = cur
    for p in rest:
        cur = cur + (p,)
        if cur in modules:
            best = cur
        else:
            break
    return best


def main():
    files = {}
    for d, _, names in os.walk(ROOT):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(d, n)
                files[module_of(p)] = p
    modules = set(files)
    graph = {m: set() for m in modules}
    problems = []
    for m, p in files.items():
        with open(p, encoding="utf-8") as f:
            raw = f.read()
        text = strip_tests(raw)
        for path in expand_uses(text):
            t = resolve(path, m, modules)
            if t is None or t == m or t == () or m[: len(t)] == t:
                continue  # itself, the crate root, or an ancestor (its own parent mod)
            if t[: len(m)] == m:
                continue  # a child of its own
            graph[m].add(t)
        if m[:1] == ("commands",) and raw.count("\n") > MAX_COMMAND_LINES:
            problems.append(f"{os.path.relpath(p)}: {raw.count(chr(10))} lines (commands stay under {MAX_COMMAND_LINES})")
    for m, deps in graph.items():
        if len(m) >= 2 and m[0] == "commands":
            for t in deps:
                if len(t) >= 2 and t[0] == "commands" and t[1] != m[1]:
                    problems.append(f"command {'::'.join(m)} imports command {'::'.join(t)}")
        if m[:1] == ("mock",):
            for t in deps:
                if t[0] not in MOCK_MAY_USE:
                    problems.append(f"the emulator {'::'.join(m)} uses client code {'::'.join(t)}")
    # Tarjan's strongly connected components.
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
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
                sccs.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    for comp in sccs:
        names = sorted("::".join(c) for c in comp)
        edges = [f"{'::'.join(a)} -> {'::'.join(b)}" for a in sorted(comp) for b in sorted(graph[a]) if b in comp]
        problems.append("import circle: " + ", ".join(names) + "\n    " + "\n    ".join(edges))
    if "-v" in sys.argv:
        for m in sorted(graph):
            print("::".join(m) or "crate", "->", ", ".join(sorted("::".join(t) for t in graph[m])))
    for p in problems:
        print(p)
    if problems:
        print(f"arch-check: {len(problems)} problem(s)")
        return 1
    print(f"arch-check: {len(modules)} modules, no import circle, commands independent and short")
    return 0


if __name__ == "__main__":
    sys.exit(main())
