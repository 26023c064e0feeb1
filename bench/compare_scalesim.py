# Runs SCALE-Sim v2 and `aisyslab systolic` on the same topologies and configs, prints the
# per-layer comparison of every report column and the mismatches (see bench/README.md).
import argparse
import csv
import itertools
import os
import shutil
import subprocess
import sys
import tempfile

# Conv layers in SCALE-Sim's topology form: name, IFMAP H, W, filter H, W, channels, filters,
# stride H[, stride W]. SCALE-Sim has no padding field: a padded conv is given its padded ifmap.
CONV_LAYERS = [
    ("conv3x3_pad1", 10, 10, 3, 3, 8, 16, 1),  # 8×8 input padded by 1
    ("conv3x3_s2_exact", 15, 15, 3, 3, 4, 8, 2),  # (15−3)/2 whole
    ("conv3x3_s2_ceil", 16, 16, 3, 3, 4, 8, 2),  # last window runs past the edge
    ("conv1x1", 7, 7, 1, 1, 32, 24, 1),
    ("conv_filter_eq_input", 5, 5, 5, 5, 6, 10, 1),  # one window
    ("conv7x7_s2_stem", 23, 23, 7, 7, 3, 8, 2),
    ("conv_stride_gt_filter", 12, 12, 2, 2, 3, 5, 3),  # ifmap words never read
    ("conv_rect", 9, 12, 3, 5, 2, 6, 1, 2),  # non-square filter, strides 1×2
    ("DPconv3x3", 9, 9, 3, 3, 3, 1, 1),  # depthwise: SCALE-Sim splits it per channel
    ("conv_one_filter", 6, 6, 3, 3, 2, 1, 1),
]

# GEMM layers in SCALE-Sim's M, N, K form.
GEMM_LAYERS = [
    ("gemm_64x32x48", 64, 32, 48),
    ("gemm_M1", 1, 16, 64),
    ("gemm_N1", 17, 1, 5),
    ("gemm_odd", 100, 7, 33),
    ("gemm_K1", 20, 12, 1),
]

ARRAYS = [(8, 8), (4, 16), (16, 4), (3, 5), (1, 1), (32, 32)]
DATAFLOWS = ["ws", "os", "is"]
# (InterfaceBandwidth, Bandwidth, SRAM KB ifmap/filter/ofmap)
MODES = [("CALC", 10, (64, 64, 64)), ("CALC", 10, (1, 1, 1)), ("USER", 10, (64, 64, 64)),
         ("USER", 4, (1, 1, 1)), ("USER", 1, (2, 1, 1))]

# The checked-in golden set (tests/app/cli/scalesim_v2, --golden): topology, array, dataflow,
# bandwidth mode, bandwidth, SRAM KB.
GOLDEN_CASES = [("gemm_test", 32, 32, df, mode, 10, (64, 64, 64)) for mode in ("CALC", "USER")
                for df in DATAFLOWS] + \
               [("conv", 8, 8, df, mode, bw, (1, 1, 1)) for mode, bw in (("CALC", 10), ("USER", 4))
                for df in DATAFLOWS] + \
               [("conv", 4, 16, df, "USER", 1, (2, 1, 1)) for df in DATAFLOWS] + \
               [("gemm", 16, 4, df, "USER", 10, (64, 64, 64)) for df in DATAFLOWS]

COMPUTE = "COMPUTE_REPORT.csv"
BANDWIDTH = "BANDWIDTH_REPORT.csv"
DETAIL = "DETAILED_ACCESS_REPORT.csv"


def write_topologies(d):
    conv = os.path.join(d, "conv.csv")
    with open(conv, "w") as f:
        f.write("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                "Num Filter, Strides,\n")
        for row in CONV_LAYERS:
            f.write(", ".join(str(x) for x in row) + ",\n")
    gemm = os.path.join(d, "gemm.csv")
    with open(gemm, "w") as f:
        f.write("Layer, M, N, K,\n")
        for row in GEMM_LAYERS:
            f.write(", ".join(str(x) for x in row) + ",\n")
    test = os.path.join(d, "gemm_test.csv")  # SCALE-Sim's own test layer (test/general)
    with open(test, "w") as f:
        f.write("Layer, M, N, K,\nTest 1, 256, 128, 256,\n")
    return {"conv": conv, "gemm": gemm, "gemm_test": test}


def layer_names(kind):
    if kind == "gemm_test":
        return ["Test 1"]
    if kind == "gemm":
        return [r[0] for r in GEMM_LAYERS]
    names = []
    for r in CONV_LAYERS:
        if "DP" in r[0]:
            names += [r[0] + "Channel_" + str(c) for c in range(r[5])]
        else:
            names.append(r[0])
    return names


def write_config(path, name, rows, cols, df, mode, bw, kb):
    with open(path, "w") as f:
        f.write(f"[general]\nrun_name = {name}\n\n[architecture_presets]\n"
                f"ArrayHeight: {rows}\nArrayWidth: {cols}\n"
                f"IfmapSramSzkB: {kb[0]}\nFilterSramSzkB: {kb[1]}\nOfmapSramSzkB: {kb[2]}\n"
                "IfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\n"
                f"Bandwidth : {bw}\nDataflow : {df}\nMemoryBanks: 1\n\n"
                f"[run_presets]\nInterfaceBandwidth: {mode}\n")


def read_report(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0] if h.strip()]
    out = []
    for r in rows[1:]:
        vals = [v.strip() for v in r if v.strip()]
        if vals:
            out.append(dict(zip(header, vals)))
    return out


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit("failed (" + str(p.returncode) + "): " + " ".join(cmd) + "\n" + p.stdout[-3000:])


def main():
    ap = argparse.ArgumentParser(description="SCALE-Sim v2 against aisyslab systolic")
    ap.add_argument("--scalesim", required=True, help="SCALE-Sim v2 work tree")
    ap.add_argument("--aisyslab", required=True, help="the aisyslab binary")
    ap.add_argument("--python", default=sys.executable, help="python with numpy and tqdm")
    ap.add_argument("--work", default="", help="folder for the runs (default: a temporary one)")
    ap.add_argument("--quick", action="store_true", help="arrays 8x8 and 4x16 only")
    ap.add_argument("--golden", default="", help="run the golden set and write it to this folder")
    ap.add_argument("--verbose", action="store_true", help="print every compared layer")
    args = ap.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="compare_scalesim_")
    os.makedirs(work, exist_ok=True)
    topos = write_topologies(work)
    env = dict(os.environ, PYTHONPATH=os.path.abspath(args.scalesim))
    scale_py = os.path.join(os.path.abspath(args.scalesim), "scalesim", "scale.py")
    if args.golden:
        cases = GOLDEN_CASES
    else:
        arrays = ARRAYS[:2] if args.quick else ARRAYS
        cases = [(kind, r, c, df, mode, bw, kb) for (r, c), df, (mode, bw, kb), kind in
                 itertools.product(arrays, DATAFLOWS, MODES, ("conv", "gemm"))]

    compared = 0
    key_mismatch = []  # total or stall cycles differ
    other_mismatch = []  # another report column differs
    per_mode = {}
    print(f"{'config':<34} {'layer':<26} {'scalesim total/stall':>22} {'ours total/stall':>20}")
    for kind, rows, cols, df, mode, bw, kb in cases:
        topo = topos[kind]
        name = f"{rows}x{cols}_{df}_{mode}_bw{bw}_{kb[0]}-{kb[1]}-{kb[2]}kb"
        cfg = os.path.join(work, name + ".cfg")
        write_config(cfg, name, rows, cols, df, mode, bw, kb)
        ss_dir = os.path.join(work, "scalesim", kind)
        ours_dir = os.path.join(work, "ours", kind, name)
        cmd = [args.python, scale_py, "-c", cfg, "-t", topo, "-p", ss_dir]
        if kind != "conv":
            cmd += ["-i", "gemm"]
        os.makedirs(ss_dir, exist_ok=True)
        p = subprocess.run(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            sys.exit("SCALE-Sim failed on " + name + " " + kind + ":\n" + p.stdout[-3000:])
        run([args.aisyslab, "systolic", "--topology", topo, "--config", cfg, "--report-dir",
             ours_dir])
        if args.golden:
            dest = os.path.join(args.golden, kind + "_" + name)
            os.makedirs(dest, exist_ok=True)
            shutil.copy(cfg, os.path.join(dest, "scale.cfg"))
            shutil.copy(topo, os.path.join(dest, "topology.csv"))
            for rep in (COMPUTE, BANDWIDTH, DETAIL):
                shutil.copy(os.path.join(ss_dir, name, rep), os.path.join(dest, rep))
        names = layer_names(kind)
        for rep in (COMPUTE, BANDWIDTH, DETAIL):
            theirs = read_report(os.path.join(ss_dir, name, rep))
            ours = read_report(os.path.join(ours_dir, rep))
            if len(theirs) != len(ours):
                sys.exit(f"{name} {kind} {rep}: {len(theirs)} rows vs ours {len(ours)}")
            for i, (t, o) in enumerate(zip(theirs, ours)):
                layer = names[i]
                if rep == COMPUTE:
                    compared += 1
                    tk = (t["Total Cycles"], t["Stall Cycles"])
                    ok = (o["Total Cycles"], o["Stall Cycles"])
                    bad = any(float(a) != float(b) for a, b in zip(tk, ok))
                    stat = per_mode.setdefault(f"{mode} {df}", [0, 0])
                    stat[0] += 1
                    if bad:
                        stat[1] += 1
                        key_mismatch.append((name, layer, tk, ok))
                    if args.verbose or bad:
                        print(f"{name:<34} {layer:<26} {tk[0] + '/' + tk[1]:>22} "
                              f"{ok[0] + '/' + ok[1]:>20}{'  MISMATCH' if bad else ''}")
                for col, tv in t.items():
                    if col in ("LayerID", "Total Cycles", "Stall Cycles"):
                        continue
                    ov = o.get(col)
                    if ov is None or float(tv) != float(ov):
                        other_mismatch.append((name, layer, rep, col, tv, ov))

    print()
    print(f"layer x config x mode comparisons: {compared} "
          f"({len(cases)} SCALE-Sim runs)")
    for k in sorted(per_mode):
        print(f"  {k:<10} {per_mode[k][0]:5d} compared, {per_mode[k][1]:4d} total/stall mismatches")
    print(f"total/stall cycle mismatches: {len(key_mismatch)}")
    cols = {}
    for m in other_mismatch:
        cols.setdefault(m[2] + ": " + m[3], []).append(m)
    print(f"other report values that differ: {len(other_mismatch)}")
    for c, ms in sorted(cols.items()):
        n, l, _, _, tv, ov = ms[0]
        print(f"  {c}: {len(ms)} (first: {n} {l}: scalesim {tv}, ours {ov})")
    print(f"runs in {work}")
    return 1 if key_mismatch or other_mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
