// Node count and kernel count of ONNX Runtime's "extended" graph optimizations against the
// engine's -O3 pipeline, with outputs checked (bench/compare_ort_optimize.sh runs this):
//   node ort_optimize.js AISYSLAB DIR NAME...
// For each NAME it reads DIR/NAME.onnx and DIR/NAME.input.npy (f32), then
// 1. ORT (graphOptimizationLevel 'extended', optimizedModelFilePath) writes
//    DIR/NAME.ort_extended.onnx and runs the input;
// 2. `aisyslab optimize -O3 --report json` gives our node/kernel counts;
// 3. `aisyslab infer` runs the model unoptimized and with --passes -O3;
// 4. prints a table; the outputs must agree within 1e-4·max(1, |ref|). Exit 1 on a mismatch.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const ort = require('onnxruntime-node');

// Ops that launch no kernel (engine/compiler/README.md, launchesKernel).
const NO_KERNEL = new Set(['Constant', 'Identity', 'Dropout', 'Reshape', 'Flatten', 'Squeeze',
  'Unsqueeze', 'Shape', 'Size']);

/** Reads a protobuf varint at buf[pos]; returns [value, next]. */
function varint(buf, pos) {
  let v = 0;
  let mul = 1;
  for (;;) {
    const b = buf[pos++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, pos];
    mul *= 128;
  }
}

/** Calls f(field, wireType, value|[start,end]) for each field of a protobuf message. */
function fields(buf, start, end, f) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = varint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      let v;
      [v, pos] = varint(buf, pos);
      f(field, wire, v);
    } else if (wire === 2) {
      let len;
      [len, pos] = varint(buf, pos);
      f(field, wire, [pos, pos + len]);
      pos += len;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
}

/** Op types ("domain:op" outside the default domain) of the top-level graph's nodes. */
function onnxOps(file) {
  const buf = fs.readFileSync(file);
  const ops = [];
  fields(buf, 0, buf.length, (field, wire, v) => {
    if (field !== 7 || wire !== 2) return; // ModelProto.graph
    fields(buf, v[0], v[1], (gf, gw, gv) => {
      if (gf !== 1 || gw !== 2) return; // GraphProto.node
      let op = '';
      let domain = '';
      fields(buf, gv[0], gv[1], (nf, nw, nv) => {
        if (nw !== 2) return;
        if (nf === 4) op = buf.toString('utf8', nv[0], nv[1]); // NodeProto.op_type
        if (nf === 7) domain = buf.toString('utf8', nv[0], nv[1]); // NodeProto.domain
      });
      ops.push(domain && domain !== 'ai.onnx' ? `${domain}:${op}` : op);
    });
  });
  return ops;
}

function readNpyF32(file) {
  const buf = fs.readFileSync(file);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const offset = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', offset, offset + headerLen);
  if (!header.includes("'<f4'")) throw new Error(`${file}: expected f32 data`);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1];
  const dims = shape.split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const start = offset + headerLen;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length));
  return { dims, data };
}

/** max |a − b| / max(1, |a|) */
function maxRelErr(a, b) {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; ++i) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
  return worst;
}

function histogram(ops) {
  const h = {};
  for (const op of ops) h[op] = (h[op] || 0) + 1;
  return Object.entries(h).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([k, n]) => `${k}×${n}`).join(' ');
}

/** Runs `aisyslab infer` and returns the first output's data. */
function engineRun(tool, dir, name, inputName, passes) {
  const out = path.join(dir, `${name}.${passes ? 'o3' : 'o0'}.out`);
  const args = ['infer', path.join(dir, `${name}.onnx`), '--output-dir', out,
    '--input', `${inputName}=${path.join(dir, `${name}.input.npy`)}`];
  if (passes) args.push('--passes', passes);
  const text = execFileSync(tool, args, { encoding: 'utf8' });
  const first = text.split('\n')[0].split(' ')[0];
  return readNpyF32(first).data;
}

async function main() {
  const [tool, dir, ...names] = process.argv.slice(2);
  if (!tool || !dir || names.length === 0) {
    console.error('usage: node ort_optimize.js AISYSLAB DIR NAME...');
    process.exit(2);
  }
  console.log(`onnxruntime-node ${require('onnxruntime-node/package.json').version}, level 'extended'`);
  const rows = [];
  let ok = true;
  for (const name of names) {
    const model = path.join(dir, `${name}.onnx`);
    const optimized = path.join(dir, `${name}.ort_extended.onnx`);
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: 1,
      graphOptimizationLevel: 'extended',
      optimizedModelFilePath: optimized,
    });
    const input = readNpyF32(path.join(dir, `${name}.input.npy`));
    const inputName = session.inputNames[0];
    const res = await session.run({ [inputName]: new ort.Tensor('float32', input.data, input.dims) });
    const ortOut = res[session.outputNames[0]].data;
    const ortOps = onnxOps(optimized);
    const report = JSON.parse(execFileSync(tool, ['optimize', model, '-O3', '--report', 'json',
      '-o', path.join(dir, `${name}.o3.onnx`)], { encoding: 'utf8' }));
    const ours = onnxOps(path.join(dir, `${name}.o3.onnx`));
    const plain = engineRun(tool, dir, name, inputName, '');
    const opt = engineRun(tool, dir, name, inputName, '-O3');
    const errPlain = maxRelErr(plain, opt);
    const errOrt = maxRelErr(ortOut, opt);
    const row = {
      name,
      inputNodes: report.before.nodes,
      inputKernels: report.before.kernels,
      ortNodes: ortOps.length,
      ortKernels: ortOps.filter((op) => !NO_KERNEL.has(op)).length,
      oursNodes: report.after.nodes,
      oursKernels: report.after.kernels,
      errPlain,
      errOrt,
    };
    rows.push(row);
    if (row.oursNodes !== ours.length) throw new Error(`${name}: report and written model disagree`);
    console.log(`\n${name}\n  ORT extended: ${histogram(ortOps)}\n  ours -O3:     ${histogram(ours)}`);
    if (!(errPlain <= 1e-4 && errOrt <= 1e-4)) ok = false;
    if (row.oursNodes > row.ortNodes || row.oursKernels > row.ortKernels) ok = false;
  }
  console.log('\n| model | input nodes / kernels | ORT extended nodes / kernels | ours -O3 nodes / kernels | max rel. err vs unoptimized | vs ORT |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.name} | ${r.inputNodes} / ${r.inputKernels} | ${r.ortNodes} / ${r.ortKernels} | ` +
      `**${r.oursNodes} / ${r.oursKernels}** | ${r.errPlain.toExponential(1)} | ${r.errOrt.toExponential(1)} |`);
  if (!ok) {
    console.error('\nort_optimize.js: ours has more nodes/kernels than ORT extended, or outputs differ by > 1e-4');
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`ort_optimize.js: ${e.message}`);
  process.exit(1);
});
