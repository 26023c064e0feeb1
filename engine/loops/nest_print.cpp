// Printing a loop nest as pseudo-C and as a compilable C program.
#include "engine/loops/nest_print.h"

#include <algorithm>
#include <optional>

namespace aisys::engine::loops {

namespace {

std::string cName(std::string s) {
    std::replace(s.begin(), s.end(), '.', '_');
    return s;
}

/// The statements that give every derived variable's parent, innermost relation last applied
/// first (as the executor resolves them), and the guard condition ("" when none).
struct Resolution {
    std::vector<std::string> assigns;
    std::string guard;
};

Resolution resolution(const LoopNest& nest, bool c) {
    const std::vector<LoopVar>& v = nest.vars();
    auto nm = [&](int i) { return c ? cName(v[i].name) : v[i].name; };
    Resolution r;
    const std::vector<VarRelation>& rel = nest.relations();
    for (auto it = rel.rbegin(); it != rel.rend(); ++it) {
        if (it->kind == VarRelation::Kind::Split) {
            r.assigns.push_back(nm(it->parent) + " = " + nm(it->outer) + " * " +
                                std::to_string(it->factor) + " + " + nm(it->inner) + ";");
        } else {
            const std::string e = std::to_string(v[it->inner].extent);
            r.assigns.push_back(nm(it->outer) + " = " + nm(it->parent) + " / " + e + ";");
            r.assigns.push_back(nm(it->inner) + " = " + nm(it->parent) + " % " + e + ";");
        }
    }
    for (const VarRelation& rl : rel)
        if (rl.guarded)
            r.guard += (r.guard.empty() ? "" : " && ") + nm(rl.parent) + " < " +
                       std::to_string(v[rl.parent].extent);
    return r;
}

std::string indent(int n) {
    return std::string(static_cast<std::size_t>(n) * 2, ' ');
}

/// An access as element index = constant + Σ stride[a]·axis[a] over the row-major layout.
std::pair<std::int64_t, std::vector<std::int64_t>> flatten(const ComputeDef& def,
                                                           const ArrayRef& r) {
    const std::vector<std::int64_t>& dims = def.arrays[r.array].dims;
    std::vector<std::int64_t> stride(def.axes.size(), 0);
    std::int64_t constant = 0, rowStride = 1;
    for (int d = static_cast<int>(dims.size()) - 1; d >= 0; --d) {
        constant += r.index[d].constant * rowStride;
        for (std::size_t a = 0; a < def.axes.size(); ++a)
            stride[a] += r.index[d].coef[a] * rowStride;
        rowStride *= dims[d];
    }
    return {constant, stride};
}

/// A flat C index: constant + Σ stride·axis.
std::string flatIndex(const ComputeDef& def, const ArrayRef& r) {
    const auto [constant, stride] = flatten(def, r);
    std::string s;
    for (std::size_t a = 0; a < def.axes.size(); ++a) {
        if (stride[a] == 0)
            continue;
        s += (s.empty() ? "" : " + ") + (stride[a] == 1 ? "" : std::to_string(stride[a]) + "L * ") +
             def.axes[a].name;
    }
    if (constant != 0 || s.empty())
        s += (s.empty() ? "" : " + ") + std::to_string(constant);
    return def.arrays[r.array].name + "[" + s + "]";
}

/// How far (in elements) access `r` moves per lane of the vectorized loop variable `v`, when
/// that is a constant: v reaches the axes only through splits (a fused variable's div/mod is
/// not linear). Nothing otherwise.
std::optional<std::int64_t> laneStride(const LoopNest& nest, int v, const ArrayRef& r) {
    std::vector<std::int64_t> coef(nest.vars().size(), 0);
    coef[v] = 1;
    const std::vector<VarRelation>& rel = nest.relations();
    for (auto it = rel.rbegin(); it != rel.rend(); ++it) {
        if (it->kind == VarRelation::Kind::Split)
            coef[it->parent] += coef[it->outer] * it->factor + coef[it->inner];
        else if (coef[it->parent] != 0)
            return std::nullopt;
    }
    const auto [constant, stride] = flatten(nest.def(), r);
    std::int64_t e = 0;
    for (std::size_t a = 0; a < stride.size(); ++a)
        e += stride[a] * coef[a];
    return e;
}

/// One stage's loops as a block of the kernel: its variables, loops and body.
std::string stageCode(const LoopNest& nest, bool& usesAvx) {
    const ComputeDef& def = nest.def();
    const std::vector<Loop>& loops = nest.loops();
    const std::vector<LoopVar>& vars = nest.vars();
    std::string s = "  { /* " + (def.stage.empty() ? std::string() : "stage " + def.stage + ": ") +
                    def.statementText() + " */\n";
    std::string decl;
    for (const LoopVar& v : vars)
        decl += (decl.empty() ? "" : ", ") + cName(v.name);
    s += "    long " + decl + ";\n";
    const bool vec = !loops.empty() && loops.back().kind == LoopKind::Vectorized;
    const std::size_t depth = loops.size() - (vec ? 1 : 0);
    int ind = 2;
    auto loopHead = [&](const Loop& l) {
        const std::string n = cName(vars[l.var].name);
        std::string h;
        if (l.kind == LoopKind::Unrolled)
            h += indent(ind) + "#pragma GCC unroll " + std::to_string(vars[l.var].extent) + "\n";
        return h + indent(ind) + "for (" + n + " = 0; " + n + " < " +
               std::to_string(vars[l.var].extent) + "; " + n + "++) {" +
               (l.kind == LoopKind::Parallel ? " /* parallel: run serially */" : "") + "\n";
    };
    for (std::size_t d = 0; d < depth; ++d) {
        s += loopHead(loops[d]);
        ++ind;
    }
    const Resolution r = resolution(nest, true);
    auto point = [&](const std::string& stmt) {
        std::string p;
        for (const std::string& a : r.assigns)
            p += indent(ind) + a + "\n";
        if (!r.guard.empty())
            return p + indent(ind) + "if (" + r.guard + ") " + stmt + "\n";
        return p + indent(ind) + stmt + "\n";
    };
    std::vector<std::string> l;
    for (const ArrayRef& a : def.loads)
        l.push_back(flatIndex(def, a));
    const std::string o = flatIndex(def, def.out);
    auto combine = [&](const std::vector<std::string>& in, const std::string& acc) {
        switch (def.body) {
        case Body::MulAcc:
            return o + " = " + acc + " + " + in[0] + " * " + in[1] + ";";
        case Body::Mean: {
            std::string sum;
            for (const std::string& x : in)
                sum += (sum.empty() ? "" : " + ") + x;
            return o + " = (" + sum + ") * (1.0f / " + std::to_string(in.size()) + ");";
        }
        case Body::MulAddRelu:
            return "{ float t = " + in[0] + " * " + in[1] + " + " + in[2] + "; " + o +
                   " = t > 0 ? t : 0; }";
        case Body::Add:
            return o + " = " + acc + " + " + in[0] + ";";
        case Body::Max:
            return o + " = " + acc + " > " + in[0] + " ? " + acc + " : " + in[0] + ";";
        case Body::Fill:
            return o + " = -INFINITY;";
        case Body::ExpSub:
            return o + " = expf(" + in[0] + " - " + in[1] + ");";
        case Body::Div:
            return o + " = " + in[0] + " / " + in[1] + ";";
        }
        return std::string();
    };
    if (!vec) {
        // One point: the loads in the executor's order (inputs, then the output), the store.
        std::vector<std::string> t;
        std::string stmt = "{ ";
        for (std::size_t k = 0; k < l.size(); ++k) {
            stmt += "float t" + std::to_string(k) + " = " + l[k] + "; ";
            t.push_back("t" + std::to_string(k));
        }
        if (def.accumulate)
            stmt += "float acc = " + o + "; ";
        stmt += combine(t, "acc") + " }";
        s += point(stmt);
    } else {
        // A vector group: each access for all lanes, then the stores. On x86-64, when every
        // load is uniform or contiguous across the lanes, the store contiguous, 4 or 8 lanes
        // and no guard: one SSE/AVX access each (the same lines as the lanes' accesses), a
        // compiler barrier after each keeping the order. Otherwise lane temporaries.
        const Loop& vl = loops.back();
        const std::int64_t laneCount = vars[vl.var].extent;
        bool simd = (laneCount == 4 || laneCount == 8) && def.body != Body::ExpSub;
        for (const VarRelation& rel : nest.relations())
            simd = simd && !rel.guarded;
        std::vector<std::int64_t> strides;
        for (const ArrayRef& a : def.loads) {
            const auto st = laneStride(nest, vl.var, a);
            simd = simd && st && (*st == 0 || *st == 1);
            strides.push_back(st.value_or(-1));
        }
        const auto outStride = laneStride(nest, vl.var, def.out);
        simd = simd && outStride && *outStride == 1;
        if (simd) {
            const std::string P = laneCount == 8 ? "_mm256_" : "_mm_";
            const std::string T = laneCount == 8 ? "__m256" : "__m128";
            const std::string bar = " __asm__ volatile(\"\" ::: \"memory\");";
            usesAvx = usesAvx || laneCount == 8;
            s += "#if defined(__x86_64__) && !defined(AISYS_NO_SIMD)\n";
            s += indent(ind) + cName(vars[vl.var].name) + " = 0;\n";
            for (const std::string& a : r.assigns)
                s += indent(ind) + a + "\n";
            auto addr = [](const std::string& ref) { return "&" + ref; };
            std::vector<std::string> v;
            for (std::size_t k = 0; k < l.size(); ++k) {
                const std::string name = "v" + std::to_string(k);
                s += indent(ind) + T + " " + name + " = " +
                     (strides[k] == 0 ? P + "set1_ps(" + l[k] + ")"
                                      : P + "loadu_ps((const float*)" + addr(l[k]) + ")") +
                     ";" + bar + "\n";
                v.push_back(name);
            }
            if (def.accumulate)
                s += indent(ind) + T + " vacc = " + P + "loadu_ps((const float*)" + addr(o) + ");" +
                     bar + "\n";
            std::string value;
            switch (def.body) {
            case Body::MulAcc:
                value = P + "add_ps(vacc, " + P + "mul_ps(v0, v1))";
                break;
            case Body::Add:
                value = P + "add_ps(vacc, v0)";
                break;
            case Body::Mean:
                value = v[0];
                for (std::size_t k = 1; k < v.size(); ++k)
                    value = P + "add_ps(" + value + ", " + v[k] + ")";
                value = P + "mul_ps(" + value + ", " + P + "set1_ps(1.0f / " +
                        std::to_string(v.size()) + "))";
                break;
            case Body::MulAddRelu:
                value = P + "max_ps(" + P + "add_ps(" + P + "mul_ps(v0, v1), v2), " + P +
                        "setzero_ps())";
                break;
            case Body::Max:
                value = P + "max_ps(vacc, v0)";
                break;
            case Body::Fill:
                value = P + "set1_ps(-INFINITY)";
                break;
            case Body::Div:
                value = P + "div_ps(v0, v1)";
                break;
            case Body::ExpSub: // no vector exp: lane temporaries (simd is false)
                break;
            }
            s += indent(ind) + P + "storeu_ps((float*)" + addr(o) + ", " + value + ");" + bar +
                 "\n#else\n";
        }
        const std::string n = cName(vars[vl.var].name);
        const std::string lanes = std::to_string(vars[vl.var].extent);
        std::string temps;
        for (std::size_t k = 0; k < l.size(); ++k)
            temps += (k ? ", t" : "t") + std::to_string(k) + "[" + lanes + "]";
        if (def.accumulate)
            temps += (temps.empty() ? "acc[" : ", acc[") + lanes + "]";
        if (!temps.empty())
            s += indent(ind) + "float " + temps + ";\n";
        auto laneLoop = [&](const std::string& stmt) {
            s += indent(ind) + "for (" + n + " = 0; " + n + " < " + lanes + "; " + n + "++) {\n";
            ++ind;
            s += point(stmt);
            --ind;
            s += indent(ind) + "}\n";
        };
        std::vector<std::string> t;
        for (std::size_t k = 0; k < l.size(); ++k) {
            laneLoop("t" + std::to_string(k) + "[" + n + "] = " + l[k] + ";");
            t.push_back("t" + std::to_string(k) + "[" + n + "]");
        }
        if (def.accumulate)
            laneLoop("acc[" + n + "] = " + o + ";");
        laneLoop(combine(t, "acc[" + n + "]"));
        if (simd)
            s += "#endif\n";
    }
    for (std::size_t d = 0; d < depth; ++d)
        s += indent(--ind) + "}\n";
    s += "  }\n";
    return s;
}

} // namespace

std::string nestText(const LoopNest& nest) {
    const ComputeDef& def = nest.def();
    std::string s = "// " + def.op + " " + def.signature + ": " + def.statementText() + "\n";
    int depth = 0;
    for (const Loop& l : nest.loops()) {
        const LoopVar& v = nest.vars()[l.var];
        std::string head = "for (" + v.name + " = 0; " + v.name + " < " + std::to_string(v.extent) +
                           "; " + v.name + "++)";
        std::string note;
        switch (l.kind) {
        case LoopKind::Serial:
            break;
        case LoopKind::Parallel:
            head = "parallel " + head;
            break;
        case LoopKind::Unrolled:
            note = "  // unrolled ×" + std::to_string(v.extent);
            break;
        case LoopKind::Vectorized:
            head = "vectorized " + head;
            note = "  // " + std::to_string(v.extent) + " lanes";
            break;
        }
        if (v.reduction)
            note += note.empty() ? "  // reduction" : ", reduction";
        s += indent(depth++) + head + note + "\n";
    }
    const Resolution r = resolution(nest, false);
    for (const std::string& a : r.assigns)
        s += indent(depth) + a + "\n";
    if (!r.guard.empty())
        s += indent(depth++) + "if (" + r.guard + ")\n";
    s += indent(depth) + def.statementText() + ";\n";
    return s;
}

std::string cProgram(const std::vector<LoopNest>& stages, const std::string& schedule) {
    const ComputeDef& def = stages.back().def();
    std::string s = "/* Generated by `aisyslab loops --emit-c`: " + def.op + " " + def.signature +
                    ", schedule \"" + schedule + "\".\n";
    for (const LoopNest& n : stages)
        s += "   " + n.def().statementText() + "\n";
    s += "   Build with gcc -O1: volatile keeps every load and store as written. */\n";
    s += "#include <math.h>\n#include <stdint.h>\n#if defined(__x86_64__)\n#include "
         "<immintrin.h>\n#endif\n\n#define POOL_BYTES " +
         std::to_string(def.poolBytes()) +
         "L\n#define POOL_ALIGN (1L << 21)\nstatic char raw[POOL_BYTES + POOL_ALIGN];\n\n";
    std::string params;
    for (const ArrayDecl& a : def.arrays)
        params += (params.empty() ? "" : ", ") + std::string("volatile float* ") + a.name;
    s += "@KERNEL@(" + params + ") {\n";
    bool usesAvx = false;
    for (const LoopNest& n : stages)
        s += stageCode(n, usesAvx);
    s += "}\n\nint main(void) {\n  char* pool = (char*)(((uintptr_t)raw + POOL_ALIGN - 1) & "
         "~(uintptr_t)(POOL_ALIGN - 1));\n  kernel(";
    for (std::size_t a = 0; a < def.arrays.size(); ++a)
        s += (a ? ", " : "") + std::string("(volatile float*)(pool + ") +
             std::to_string(def.arrays[a].offset) + ")";
    s += ");\n  return 0;\n}\n";
    const std::string kernel = std::string(usesAvx ? "__attribute__((noinline, target(\"avx\"))) "
                                                   : "__attribute__((noinline)) ") +
                               "void kernel";
    s.replace(s.find("@KERNEL@"), 8, kernel);
    return s;
}

std::string cProgram(const LoopNest& nest, const std::string& schedule) {
    return cProgram(std::vector<LoopNest>{nest}, schedule);
}

std::string nestText(const std::vector<LoopNest>& stages) {
    if (stages.size() == 1)
        return nestText(stages.front());
    std::string s;
    for (const LoopNest& n : stages)
        s += "// stage " + n.def().stage + "\n" + nestText(n);
    return s;
}

} // namespace aisys::engine::loops
