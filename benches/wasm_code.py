#!/usr/bin/env python3
"""Sums the code of a WebAssembly module by function name: the whole code section (function
bodies), and the functions whose names (the `name` section) mention each given text. What
BENCHMARKS.md's `.wasm` size figures by name come from.

    python3 benches/wasm_code.py MODULE.wasm [TEXT ...]
    python3 benches/wasm_code.py --by-part MODULE.wasm

Use the module cargo builds, before wasm-bindgen and wasm-opt (which drop the names), e.g.
target/wasm32-unknown-unknown/wasm/euca_wasm.wasm after `bindings-wasm/build.sh`. Functions with
legacy-mangled names (`_ZN…`) name only their own path, not their type parameters.

`--by-part` sums the code by what it does (the table "`euca/screen`, by what its code does" in
BENCHMARKS.md): each function goes to the first part in `PARTS` its demangled name matches. It
needs `rustfilt` (`cargo install rustfilt`) and a module whose names say their type parameters,
built with `RUSTFLAGS="-C symbol-mangling-version=v0"`, e.g. the screening module:

    RUSTFLAGS="-C symbol-mangling-version=v0" CARGO_TARGET_DIR=/tmp/v0 cargo build --locked \
      -p euca-wasm --no-default-features --target wasm32-unknown-unknown --profile wasm
    python3 benches/wasm_code.py --by-part /tmp/v0/wasm32-unknown-unknown/wasm/euca_wasm.wasm

That is the code before wasm-bindgen and wasm-opt, with the functions wasm-bindgen then removes
(each exported type's `describe`) and before wasm-opt inlines. The code as shipped, with names
kept: `wasm-bindgen MODULE --keep-debug --target web --out-dir OUT`, then
`bindings-wasm/node_modules/.bin/wasm-opt -Oz --low-memory-unused --converge -g
OUT/euca_bg.wasm -o OUT/opt.wasm` and `--by-part OUT/opt.wasm` (what wasm-opt inlined into an
export's shim is counted as "others").
"""
import re
import subprocess
import sys

# (part, pattern of the demangled names it takes), in order: a function goes to the first match.
PARTS = [
    ("the reporting reader of JSON values (euca::report)", r"euca::report::"),
    ("the tape reader of plain objects (euca_wasm::tape)", r"euca_wasm::tape::"),
    ("serde_json's reader of text", r"serde_json::read::|serde_json::de::"),
    ("serde_json's reader of JSON values", r"serde_json::value::de"),
    ("serde-wasm-bindgen's reader", r"serde_wasm_bindgen::de"),
    ("serde-wasm-bindgen's writer", r"serde_wasm_bindgen::ser"),
    ("serde_json's writers (JSON values, text)", r"serde_json::ser|serde_json::value::ser"),
    ("chrono", r"chrono::"),
    ("formatting (core::fmt, floats)", r"flt2dec|dec2flt|core::fmt"),
    ("the allocator (dlmalloc)", r"dlmalloc"),
    ("the engine (euca::eval)", r"euca::eval"),
    ("compiling calls (euca::call)", r"euca::call"),
    ("the rest of euca", r"euca::"),
    ("the bindings (euca_wasm)", r"euca_wasm"),
    ("JavaScript's boundary (wasm-bindgen, js-sys)", r"wasm_bindgen|js_sys"),
    ("the rest of serde_json", r"serde_json"),
    ("Rust's core, alloc and std", r"alloc::|core::|std::"),
]


def leb(data: bytes, i: int) -> tuple[int, int]:
    """An unsigned LEB128 number at `i`, and the index after it."""
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def skip_name(data: bytes, i: int) -> int:
    length, i = leb(data, i)
    return i + length


def functions(data: bytes) -> list[tuple[str, int]]:
    """(name, body size) of every function defined in the module."""
    if data[:4] != b"\0asm":
        raise SystemExit("not a WebAssembly module")
    i, imported, bodies, names = 8, 0, [], {}
    while i < len(data):
        section = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if section == 2:  # imports: functions are numbered after the imported ones
            count, j = leb(data, i)
            for _ in range(count):
                j = skip_name(data, skip_name(data, j))
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imported += 1
                elif kind == 1:  # table: reference type, limits
                    flags, j = leb(data, j + 1)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 2:  # memory: limits
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:  # global: value type, mutability
                    j += 2
                elif kind == 4:  # tag: attribute, type index
                    _, j = leb(data, j + 1)
        elif section == 10:  # code
            count, j = leb(data, i)
            for _ in range(count):
                body, j = leb(data, j)
                bodies.append(body)
                j += body
        elif section == 0:
            length, j = leb(data, i)
            if data[j : j + length] == b"name":
                j += length
                while j < end:
                    kind = data[j]
                    sub, j = leb(data, j + 1)
                    if kind == 1:  # function names
                        count, k = leb(data, j)
                        for _ in range(count):
                            index, k = leb(data, k)
                            length, k = leb(data, k)
                            names[index] = data[k : k + length].decode("utf-8", "replace")
                            k += length
                    j += sub
        i = end
    return [(names.get(imported + n, "?"), size) for n, size in enumerate(bodies)]


def by_part(found: list[tuple[str, int]]) -> None:
    """Prints the code summed by the first part of `PARTS` each demangled name matches."""
    try:
        demangled = subprocess.run(
            ["rustfilt"], input="\n".join(name for name, _ in found),
            capture_output=True, text=True, check=True,
        ).stdout.split("\n")
    except FileNotFoundError:
        raise SystemExit("--by-part needs rustfilt: cargo install rustfilt")
    totals = {part: 0 for part, _ in PARTS}
    totals["others"] = 0
    for name, (_, size) in zip(demangled, found):
        # wasm-bindgen writes v0 names demangled, with each crate's hash (`euca[94e2…]::`).
        name = re.sub(r"\[[0-9a-f]{16}\]", "", name)
        part = next((p for p, pattern in PARTS if re.search(pattern, name)), "others")
        totals[part] += size
    code = sum(size for _, size in found)
    print(f"{'code (all function bodies)':52} {code:>10,} bytes")
    for part, total in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{part:52} {total:>10,} bytes {100 * total / code:5.1f} %")


def main() -> None:
    args = sys.argv[1:]
    parts = args[:1] == ["--by-part"]
    if parts:
        args = args[1:]
    if not args:
        raise SystemExit(__doc__)
    with open(args[0], "rb") as f:
        found = functions(f.read())
    if parts:
        by_part(found)
        return
    print(f"{'code (all function bodies)':40} {sum(s for _, s in found):>10,} bytes")
    for text in args[1:]:
        total = sum(size for name, size in found if text in name)
        print(f"{'functions naming ' + repr(text):40} {total:>10,} bytes")


if __name__ == "__main__":
    main()
