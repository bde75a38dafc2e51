#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""The floors of hyp/ (docs/architecture.md "Floors") and their check.

    scripts/layers.py [--root DIR]        check the tree (exit 1: broken)
    scripts/layers.py --svg FILE          draw the floors (docs/floors.svg)

Every file under hyp/ belongs to the floor its folder names (hyp/main.c is
the top floor, "main"). A file may include headers of its own floor and
of the floors FLOORS lists for it; everything else under hyp/ is an
upward or sideways include, and a report. Headers outside hyp/ (lib/,
include/, OpenSBI's) are free to all. Includes within hyp/ name their
floor ("core/guest.h"): a bare name is a report too, except for headers
the build generates. Independently of the table, the floors' actual
include graph must have no circle. Python 3 standard library only.
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# floor: (what it holds, the floors below it that it may include)
FLOORS = {
    "base": ("types, static limits, logger, platform facts, spinlock", []),
    "arch": ("entry and switch assembly, decoder, page-table walk",
             ["base"]),
    "core": ("harts, scheduler, threads, vCPUs, guests, stage 2, exits, "
             "MMIO bus", ["arch", "base"]),
    "sbi": ("the guest SBI dispatcher, one file per extension",
            ["core", "arch", "base"]),
    "dev": ("device models: vPLIC, vUART, doorbell", ["core", "base"]),
    "host": ("host device tree, interrupt controller, console UART",
             ["core", "arch", "base"]),
    "console": ("console output rings, input multiplexer, log sink",
                ["host", "core", "base"]),
    "config": ("/chosen parser, guests, boards, guest device trees",
               ["console", "dev", "host", "core", "arch", "base"]),
    "shell": ("the hypervisor shell",
              ["config", "console", "host", "core", "base"]),
    "main": ("boot: wires the floors together",
             ["shell", "config", "console", "host", "dev", "sbi", "core",
              "arch", "base"]),
}
GENERATED = {"asm-offsets.h", "embed.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def floor_of(path, hyp):
    rel = path.relative_to(hyp)
    return rel.parts[0] if len(rel.parts) > 1 else "main"


def scan(hyp):
    """[(file, floor, included floor or None, include text)]"""
    edges = []
    for f in sorted(hyp.rglob("*")):
        if f.suffix not in (".c", ".h", ".S", ".lds") or not f.is_file():
            continue
        src = floor_of(f, hyp)
        for inc in INCLUDE.findall(f.read_text(errors="replace")):
            if inc.startswith("../") or inc in GENERATED:
                if inc.startswith("../") and \
                        (f.parent / inc).resolve().is_relative_to(hyp):
                    edges.append((f, src, "?", inc))
                continue
            parts = inc.split("/")
            edges.append((f, src, parts[0] if len(parts) == 2 else "?",
                          inc))
    return edges


def circles(graph):
    """Floors on a circle of the include graph (Tarjan's SCCs)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append(sorted(scc))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check(root):
    hyp = root / "hyp"
    problems, graph = [], {}
    for f, src, dst, inc in scan(hyp):
        where = f.relative_to(root)
        if src not in FLOORS:
            problems.append(f"{where}: not in a floor folder ({src}/)")
            continue
        if dst == "?" or dst not in FLOORS:
            problems.append(f'{where}: #include "{inc}" names no floor')
            continue
        if dst != src:
            graph.setdefault(src, set()).add(dst)
            if dst not in FLOORS[src][1]:
                problems.append(f'{where}: #include "{inc}": {src} may not '
                                f'include {dst}')
    for c in circles(graph):
        problems.append("floors include each other in a circle: " +
                        " -> ".join(c + [c[0]]))
    return problems


def svg(out):
    """The floors, bottom up, with what each may include on its right."""
    order = ["main", "shell", "config", "console", "host", "dev", "sbi",
             "core", "arch", "base"]
    w, h, gap, x0 = 420, 38, 8, 20
    rows = []
    for i, name in enumerate(order):
        y = 20 + i * (h + gap)
        what, below = FLOORS[name]
        rows.append(
            f'<rect x="{x0}" y="{y}" width="{w}" height="{h}" rx="6" '
            f'fill="#eef3fb" stroke="#3b5b8c"/>'
            f'<text x="{x0 + 10}" y="{y + 16}" font-weight="bold">'
            f'{"hyp/main.c" if name == "main" else "hyp/" + name + "/"}'
            f'</text><text x="{x0 + 10}" y="{y + 31}" font-size="11">'
            f'{what}</text><text x="{x0 + w + 12}" y="{y + 24}" '
            f'font-size="11">includes: {", ".join(below) or "nothing"}'
            f'</text>')
    height = 20 + len(order) * (h + gap) + 10
    out.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="860" '
        f'height="{height}" font-family="sans-serif" font-size="13">\n'
        '<!-- generated by scripts/layers.py --svg from its FLOORS table -->'
        '\n' + "\n".join(rows) + "\n</svg>\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--svg", type=Path)
    a = ap.parse_args()
    if a.svg:
        svg(a.svg)
        return 0
    problems = check(a.root)
    for p in problems:
        print("layers:", p)
    print(f"layers: {'FAIL' if problems else 'ok'} "
          f"({len(problems)} problem(s))")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
