#!/usr/bin/env python3
"""Sums the code of a WebAssembly module by function name: the whole code section (function
bodies), and the functions whose names (the `name` section) mention each given text. What
BENCHMARKS.md's `.wasm` size figures by name come from.

    python3 benches/wasm_code.py MODULE.wasm [TEXT ...]

Use the module cargo builds, before wasm-bindgen and wasm-opt (which drop the names), e.g.
target/wasm32-unknown-unknown/wasm/euca_wasm.wasm after `bindings-wasm/build.sh`. Functions with
legacy-mangled names (`_ZN…`) name only their own path, not their type parameters.
"""
import sys


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


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        found = functions(f.read())
    print(f"{'code (all function bodies)':40} {sum(s for _, s in found):>10,} bytes")
    for text in sys.argv[2:]:
        total = sum(size for name, size in found if text in name)
        print(f"{'functions naming ' + repr(text):40} {total:>10,} bytes")


if __name__ == "__main__":
    main()
