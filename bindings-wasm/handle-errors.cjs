// Makes the handle checks of the wasm-bindgen glue throw euca errors (build.sh runs it on
// pkg/web/euca.js, pkg/node/euca.js and pkg/screen/euca.js):
// `node handle-errors.cjs FILE... [--no-handle-arguments FILE...]`, the files after the flag being
// those of a module none of whose functions takes a handle argument (`euca/screen`), which then
// has no `_assertClass` check to rewrite; every other file must have it.
//
// The glue checks handles in JavaScript before it enters the module: a handle argument of the
// wrong class (`_assertClass`) and a handle used after `free()` (the `__wbg_ptr` checks that
// `wasm-bindgen --debug` adds). Left as they are, these throw plain `Error`s ("expected instance of
// Call", "Attempt to use a moved value") without the `name`, `code` and `errors` of every other
// euca error. Rust cannot do the checks itself: a `&Call` argument or a `&self` method is borrowed
// in the glue, before any code of ours runs. So this rewrites the throws, and only them:
//   wrong class  -> EucaError `invalid_type`, path = the argument's name
//   freed handle -> EucaError `freed_handle`, path = the argument's name, or "" for the handle a
//                   method is called on
// The glue is that of the exact wasm-bindgen version pinned in Cargo.toml; if a new version words
// the checks differently, the counts below no longer hold and the build stops here.
"use strict";
const fs = require("fs");

const HELPERS = `
// euca (bindings-wasm/handle-errors.cjs): the glue's handle checks throw euca errors.
function eucaHandleError(code, path, message) {
    const error = new Error(message);
    error.name = "EucaError";
    error.code = code;
    error.errors = [{ code, message, path }];
    return error;
}

function eucaKind(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    switch (typeof value) {
        case "undefined": return "undefined";
        case "string": return "a string";
        case "number": return "a number";
        case "boolean": return "a boolean";
        case "bigint": return "a bigint";
        case "function": return "a function";
        case "symbol": return "a symbol";
    }
    const name = value.constructor && value.constructor.name;
    return name && name !== "Object" ? \`a \\\`\${name}\\\`\` : "an object";
}

function eucaWrongClass(instance, klass, argument) {
    return eucaHandleError("invalid_type", argument,
        \`\\\`\${argument}\\\` is a \\\`\${klass.name}\\\`, not \${eucaKind(instance)}\`);
}

function eucaFreed(handle, argument) {
    const name = handle.constructor.name;
    return argument === ""
        ? eucaHandleError("freed_handle", "", \`this \\\`\${name}\\\` was freed with \\\`free()\\\` and cannot be used\`)
        : eucaHandleError("freed_handle", argument, \`\\\`\${argument}\\\` is a \\\`\${name}\\\` that was freed with \\\`free()\\\`\`);
}
`;

/** Replaces every match of `pattern` (global) and returns how many there were. */
function rewrite(state, pattern, replacement) {
  let count = 0;
  state.text = state.text.replace(pattern, (...match) => {
    count += 1;
    return typeof replacement === "function" ? replacement(...match) : replacement;
  });
  return count;
}

function patch(file, handleArguments) {
  const state = { text: fs.readFileSync(file, "utf8") };
  if (state.text.includes("function eucaHandleError(")) throw new Error(`${file}: already patched`);

  const assertClass = rewrite(
    state,
    /throw new Error\(`expected instance of \$\{klass\.name\}`\);/g,
    "throw eucaWrongClass(instance, klass, argument);",
  );
  const assertClassSignature = rewrite(
    state,
    /function _assertClass\(instance, klass\) \{/g,
    "function _assertClass(instance, klass, argument) {",
  );
  const classCalls = rewrite(state, /_assertClass\((\w+), (\w+)\);/g, (_, arg, klass) => `_assertClass(${arg}, ${klass}, "${arg}");`);
  const freedArguments = rewrite(
    state,
    /if \((\w+)\.__wbg_ptr === 0\) \{\s*throw new Error\('Attempt to use a moved value'\);/g,
    (m, arg) => m.replace("throw new Error('Attempt to use a moved value');", `throw eucaFreed(${arg}, "${arg}");`),
  );
  const freedThis = rewrite(
    state,
    /if \(this\.__wbg_ptr == 0\) throw new Error\('Attempt to use a moved value'\);/g,
    'if (this.__wbg_ptr == 0) throw eucaFreed(this, "");',
  );

  const left = ["Attempt to use a moved value", "expected instance of"].filter((s) => state.text.includes(s));
  const problems = [];
  if (handleArguments) {
    if (assertClass !== 1 || assertClassSignature !== 1) problems.push("the `_assertClass` helper was not found");
    if (classCalls === 0 || freedArguments < classCalls) problems.push("handle arguments are not checked as expected");
  } else if (assertClass !== 0 || assertClassSignature !== 0 || classCalls !== 0) {
    problems.push("a function takes a handle argument, where --no-handle-arguments said none does");
  }
  if (freedThis === 0) problems.push("no method checks for a freed handle (was the glue built with --debug?)");
  if (left.length > 0) problems.push(`unrewritten checks remain: ${left.join(", ")}`);
  if (problems.length > 0) {
    throw new Error(`${file}: the wasm-bindgen glue is not the one this script knows: ${problems.join("; ")}`);
  }
  fs.writeFileSync(file, state.text + HELPERS);
  return { classCalls, freedArguments, freedThis };
}

const args = process.argv.slice(2);
const flag = args.indexOf("--no-handle-arguments");
const files = args.map((file, i) => [file, flag === -1 || i < flag]).filter(([file]) => file !== "--no-handle-arguments");
for (const [file, handleArguments] of files) {
  const n = patch(file, handleArguments);
  console.log(`${file}: ${n.classCalls} handle arguments, ${n.freedThis} methods check their handles`);
}
