// ONNX Runtime oracle for any model (bench/compare_ort.sh drives it), single-threaded:
//   node run_model.js inputs MODEL.onnx DIR SPEC...   writes seeded inputs DIR/NAME.npy, where
//       SPEC is NAME:1x3x48x320 (f32, uniform [-1, 1)), NAME:1x128:int64:HI (integers in
//       [0, HI)), NAME:scalar:int64:=V (the value V), or
//       *:FILE.npy (copies FILE for the model's first input); seed 7; DIR/names.tsv maps
//       each file to its input's name
//   node run_model.js run MODEL.onnx INPUT_DIR OUT_DIR RUNS disabled|all
//       feeds every INPUT_DIR/NAME.npy, runs 2 warm-ups and RUNS timed runs with
//       intraOpNumThreads 1, interOpNumThreads 1, executionMode 'sequential' and the given
//       graphOptimizationLevel, writes each output as OUT_DIR/NAME.npy and prints
//       "ort median MS ms over RUNS runs (LEVEL)"
//   node run_model.js diff DIR_A DIR_B                 prints "maxabs X maxref Y" over the
//       outputs (.npy, f32/f64/i64/i32) present in both folders; exits 1 when none match or a
//       shape differs
'use strict';
const fs = require('fs');
const path = require('path');

const DTYPES = {
  '<f4': { array: Float32Array, ort: 'float32' },
  '<f8': { array: Float64Array, ort: 'float64' },
  '<i8': { array: BigInt64Array, ort: 'int64' },
  '<i4': { array: Int32Array, ort: 'int32' },
  '|u1': { array: Uint8Array, ort: 'bool' },
};

/** Reads a little-endian NPY file (version 1 or 2) as {descr, dims, data}. */
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not an NPY file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const offset = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = header.match(/'descr':\s*'([^']*)'/)[1];
  const type = DTYPES[descr];
  if (!type) throw new Error(`${file}: dtype ${descr} is not supported (f4, f8, i8, i4, u1)`);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1];
  const dims = shape.split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const start = offset + headerLen;
  const bytes = buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length);
  return { descr, dims, data: new type.array(bytes) };
}

/** Writes a typed array as an NPY v1 file. */
function writeNpy(file, descr, dims, data) {
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

/** A seeded generator (mulberry32) of uniform [0, 1) numbers. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fileName = (name) => name.replace(/[^A-Za-z0-9_.-]/g, '_') + '.npy';

async function makeInputs(model, dir, specs) {
  const ort = require('onnxruntime-node');
  fs.mkdirSync(dir, { recursive: true });
  const random = rng(7);
  const names = [];
  for (const spec of specs) {
    // NAME may itself hold ':' (PyTorch's "onnx::Flatten_0"): the dims are the last field
    // that looks like dims.
    const m = spec.match(/^(.*):(scalar|\d+(?:x\d+)*)(?::(float32|int64)(?::([^:]*))?)?$/);
    const star = spec.startsWith('*:');
    const [name, dimsText, dtype = 'float32', hiText = '2'] = star
      ? ['*', spec.slice(2)]
      : m ? [m[1], m[2], m[3], m[4]] : [spec, ''];
    if (name === '*') {
      const session = await ort.InferenceSession.create(model);
      fs.copyFileSync(dimsText, path.join(dir, fileName(session.inputNames[0])));
      names.push(session.inputNames[0]);
      continue;
    }
    names.push(name);
    if (!dimsText || !/^(scalar|\d+(x\d+)*)$/.test(dimsText))
      throw new Error(`input spec '${spec}': expected NAME:DxDxD[:int64:HI|=V] or NAME:scalar:..., e.g. x:1x3x48x320`);
    const dims = dimsText === 'scalar' ? [] : dimsText.split('x').map(Number);
    const n = dims.reduce((a, b) => a * b, 1);
    if (dtype === 'float32') {
      const data = new Float32Array(n);
      for (let i = 0; i < n; ++i) data[i] = 2 * random() - 1;
      writeNpy(path.join(dir, fileName(name)), '<f4', dims, data);
    } else if (dtype === 'int64') {
      const fixed = hiText.startsWith('=') ? BigInt(hiText.slice(1)) : null;
      const hi = Number(hiText);
      const data = new BigInt64Array(n);
      for (let i = 0; i < n; ++i) data[i] = fixed ?? BigInt(Math.floor(random() * hi));
      writeNpy(path.join(dir, fileName(name)), '<i8', dims, data);
    } else {
      throw new Error(`input spec '${spec}': dtype '${dtype}' is not float32 or int64`);
    }
  }
  // The engine takes inputs by value name: DIR/names.tsv maps each file back to its input.
  fs.writeFileSync(path.join(dir, 'names.tsv'), names.map((n) => `${fileName(n)}\t${n}\n`).join(''));
}

async function run(model, inputDir, outDir, runs, level) {
  const ort = require('onnxruntime-node');
  if (level !== 'disabled' && level !== 'all')
    throw new Error(`optimization level '${level}': expected disabled or all`);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: level,
  });
  const feeds = {};
  for (const name of session.inputNames) {
    const file = path.join(inputDir, fileName(name));
    if (!fs.existsSync(file)) throw new Error(`input '${name}': ${file} is missing`);
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(DTYPES[t.descr].ort, t.data, t.dims);
  }
  let out;
  for (let i = 0; i < 2; ++i) out = await session.run(feeds); // warm-up
  const times = [];
  for (let i = 0; i < runs; ++i) {
    const t0 = process.hrtime.bigint();
    out = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of session.outputNames) {
    const y = out[name];
    const descr = Object.keys(DTYPES).find((k) => DTYPES[k].ort === y.type);
    if (descr) writeNpy(path.join(outDir, fileName(name)), descr, y.dims, y.data);
  }
  const median = times[Math.floor(times.length / 2)];
  console.log(`ort median ${median.toFixed(3)} ms over ${runs} runs (${level})`);
}

function diff(a, b) {
  let maxAbs = 0;
  let maxRef = 0;
  let compared = 0;
  for (const f of fs.readdirSync(b).filter((f) => f.endsWith('.npy'))) {
    if (!fs.existsSync(path.join(a, f))) continue;
    const x = readNpy(path.join(a, f));
    const y = readNpy(path.join(b, f));
    if (x.dims.join('x') !== y.dims.join('x')) {
      console.log(`${f}: shape [${x.dims}] vs [${y.dims}]`);
      process.exit(1);
    }
    for (let i = 0; i < y.data.length; ++i) {
      const u = Number(x.data[i]);
      const v = Number(y.data[i]);
      maxAbs = Math.max(maxAbs, Math.abs(u - v));
      maxRef = Math.max(maxRef, Math.abs(v));
    }
    ++compared;
  }
  if (compared === 0) {
    console.log(`no output of ${b} is in ${a}`);
    process.exit(1);
  }
  console.log(`maxabs ${maxAbs.toExponential(2)} maxref ${maxRef.toExponential(2)} outputs ${compared}`);
}

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'inputs' && args.length >= 3) return makeInputs(args[0], args[1], args.slice(2));
  if (cmd === 'run' && args.length === 5)
    return run(args[0], args[1], args[2], Math.max(1, Number(args[3])), args[4]);
  if (cmd === 'diff' && args.length === 2) return diff(args[0], args[1]);
  console.error('usage: node run_model.js inputs MODEL DIR SPEC... | run MODEL IN OUT RUNS LEVEL | diff A B');
  process.exit(2);
}

main().catch((e) => {
  console.error(`run_model.js: ${e.message}`);
  process.exit(1);
});
