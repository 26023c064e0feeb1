// Runs ONNX models with ONNX Runtime (single-threaded) and prints the median latency:
//   node run_ort.js DIR RUNS NAME...
// For each NAME: reads DIR/NAME.onnx and DIR/NAME.input.npy (f32), writes the first output to
// DIR/NAME.ort.npy and {"median_ms": ..., "runs": ...} to DIR/NAME.ort.json.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

/** Reads a little-endian f32 NPY file (version 1 or 2) as {dims, data}. */
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

/** Writes a f32 tensor as an NPY v1 file. */
function writeNpyF32(file, dims, data) {
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
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

async function main() {
  const [dir, runsArg, ...names] = process.argv.slice(2);
  if (!dir || !runsArg || names.length === 0) {
    console.error('usage: node run_ort.js DIR RUNS NAME...');
    process.exit(2);
  }
  const runs = Math.max(1, Number(runsArg));
  console.log(`onnxruntime-node ${require('onnxruntime-node/package.json').version}, 1 thread`);
  for (const name of names) {
    const session = await ort.InferenceSession.create(path.join(dir, `${name}.onnx`), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const input = readNpyF32(path.join(dir, `${name}.input.npy`));
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input.data, input.dims) };
    let out;
    for (let i = 0; i < 2; ++i) out = await session.run(feeds); // warm-up
    const times = [];
    for (let i = 0; i < runs; ++i) {
      const t0 = process.hrtime.bigint();
      out = await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const y = out[session.outputNames[0]];
    writeNpyF32(path.join(dir, `${name}.ort.npy`), y.dims, y.data);
    fs.writeFileSync(path.join(dir, `${name}.ort.json`), JSON.stringify({ median_ms: median, runs }) + '\n');
    console.log(`${name}: ORT median ${median.toFixed(3)} ms over ${runs} runs, output [${y.dims}]`);
  }
}

main().catch((e) => {
  console.error(`run_ort.js: ${e.message}`);
  process.exit(1);
});
