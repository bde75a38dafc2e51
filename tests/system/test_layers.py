# SPDX-License-Identifier: BSD-2-Clause
"""The floors of hyp/ (issue #10, docs/architecture.md "Floors"):
scripts/layers.py passes on the tree, fails on an upward or sideways
include, on a bare include and on floors that include each other in a
circle; and docs/floors.svg is what the floors table draws."""
import shutil
import subprocess
import sys

from qemu import ROOT

LAYERS = ROOT / "scripts" / "layers.py"


def layers(*args):
    return subprocess.run([sys.executable, str(LAYERS), *args],
                          capture_output=True, text=True, timeout=60)


def tree(tmp_path, files):
    """A copy of hyp/ with some files added or replaced."""
    root = tmp_path / "tree"
    shutil.copytree(ROOT / "hyp", root / "hyp")
    for name, text in files.items():
        (root / "hyp" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "hyp" / name).write_text(text)
    return root


def test_tree_keeps_its_floors():
    r = layers()
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().endswith("layers: ok (0 problem(s))")


def test_upward_include_fails(tmp_path):
    root = tree(tmp_path, {"core/spy.c": '#include "shell/shell.h"\n'})
    r = layers("--root", str(root))
    assert r.returncode == 1
    assert 'hyp/core/spy.c: #include "shell/shell.h": core may not ' \
        "include shell" in r.stdout


def test_sideways_include_fails(tmp_path):
    root = tree(tmp_path, {"dev/spy.c": '#include "sbi/vsbi.h"\n'})
    r = layers("--root", str(root))
    assert r.returncode == 1
    assert "dev may not include sbi" in r.stdout


def test_bare_include_fails(tmp_path):
    root = tree(tmp_path, {"dev/spy.c": '#include "guest.h"\n'})
    r = layers("--root", str(root))
    assert r.returncode == 1
    assert '#include "guest.h" names no floor' in r.stdout


def test_circle_fails(tmp_path):
    root = tree(tmp_path, {"dev/a.c": '#include "sbi/vsbi.h"\n',
                           "sbi/b.c": '#include "dev/vplic.h"\n'})
    r = layers("--root", str(root))
    assert r.returncode == 1
    assert "floors include each other in a circle: dev -> sbi -> dev" \
        in r.stdout


def test_picture_is_drawn_from_the_table(tmp_path):
    out = tmp_path / "floors.svg"
    r = layers("--svg", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text() == (ROOT / "docs" / "floors.svg").read_text(), \
        "docs/floors.svg is stale: scripts/layers.py --svg docs/floors.svg"
