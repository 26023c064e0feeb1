#include "engine/hw/gpu/simt.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace aisys::engine::hw::gpu {

namespace {

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a])))
        ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1])))
        --b;
    return s.substr(a, b - a);
}

bool parseInt(const std::string& s, long long& out) {
    if (s.empty())
        return false;
    size_t pos = 0;
    try {
        out = std::stoll(s, &pos);
    } catch (...) {
        return false;
    }
    return pos == s.size();
}

const char* cmpText(SimtStmt::Cmp c) {
    switch (c) {
    case SimtStmt::Cmp::Lt:
        return "<";
    case SimtStmt::Cmp::Ge:
        return ">=";
    case SimtStmt::Cmp::Gt:
        return ">";
    case SimtStmt::Cmp::Le:
        return "<=";
    case SimtStmt::Cmp::Eq:
        return "==";
    case SimtStmt::Cmp::Ne:
        return "!=";
    }
    return "?";
}

// Splits "a b c" on blanks, keeping operators as their own words when spaced or not.
std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty())
            out.push_back(cur), cur.clear();
    };
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            flush();
        } else if (std::string("<>=!%+*").find(c) != std::string::npos ||
                   (c == '-' && i + 1 < s.size() && s[i + 1] == '=')) {
            flush();
            std::string op(1, c);
            if (i + 1 < s.size() && s[i + 1] == '=' && c != '%')
                op += '=', ++i;
            out.push_back(op);
        } else {
            cur += c;
        }
    }
    flush();
    return out;
}

std::string fail(int n, const std::string& text, const std::string& what) {
    return "statement " + std::to_string(n) + " '" + text + "': " + what;
}

bool laneTakes(const SimtStmt& s, int lane, long long x) {
    long long v = s.var == SimtStmt::Var::Lane ? lane : x;
    if (s.mod != 0) {
        v %= s.mod;
        if (v < 0)
            v += s.mod < 0 ? -s.mod : s.mod;
    }
    switch (s.cmp) {
    case SimtStmt::Cmp::Lt:
        return v < s.rhs;
    case SimtStmt::Cmp::Ge:
        return v >= s.rhs;
    case SimtStmt::Cmp::Gt:
        return v > s.rhs;
    case SimtStmt::Cmp::Le:
        return v <= s.rhs;
    case SimtStmt::Cmp::Eq:
        return v == s.rhs;
    case SimtStmt::Cmp::Ne:
        return v != s.rhs;
    }
    return false;
}

long long apply(const SimtStmt& s, long long x) {
    switch (s.op) {
    case '+':
        return x + s.value;
    case '-':
        return x - s.value;
    case '*':
        return x * s.value;
    default:
        return s.value;
    }
}

// Matching else (or -1) and end of the if at `i`.
struct Block {
    int elseAt = -1, endAt = -1;
};

Block blockOf(const std::vector<SimtStmt>& st, int i) {
    Block b;
    int depth = 0;
    for (int j = i + 1; j < static_cast<int>(st.size()); ++j) {
        if (st[j].kind == SimtStmt::Kind::If)
            ++depth;
        else if (st[j].kind == SimtStmt::Kind::End) {
            if (depth == 0) {
                b.endAt = j;
                return b;
            }
            --depth;
        } else if (st[j].kind == SimtStmt::Kind::Else && depth == 0)
            b.elseAt = j;
    }
    return b;
}

struct Exec {
    const std::vector<SimtStmt>& st;
    std::vector<long long>& x;
    SimtRun* run; // null: scalar
    int cycles = 0;

    void go(int begin, int end, std::uint32_t mask, int depth) {
        for (int i = begin; i < end;) {
            const SimtStmt& s = st[i];
            if (s.kind == SimtStmt::Kind::Op) {
                for (int l = 0; l < 32; ++l)
                    if (mask >> l & 1u)
                        x[l] = apply(s, x[l]);
                record(i, mask, s.cycles, depth);
                ++i;
                continue;
            }
            // An if: 1 cycle for the compare and branch.
            const Block b = blockOf(st, i);
            std::uint32_t taken = 0;
            for (int l = 0; l < 32; ++l)
                if ((mask >> l & 1u) && laneTakes(s, l, x[l]))
                    taken |= 1u << l;
            const std::uint32_t other = mask & ~taken;
            record(i, mask, 1, depth);
            if (run && taken && other)
                ++run->divergentBranches;
            const int thenEnd = b.elseAt >= 0 ? b.elseAt : b.endAt;
            if (taken)
                go(i + 1, thenEnd, taken, depth + 1);
            if (b.elseAt >= 0) {
                if (other) {
                    record(b.elseAt, other, 0, depth);
                    go(b.elseAt + 1, b.endAt, other, depth + 1);
                }
            }
            record(b.endAt, mask, 0, depth); // reconvergence
            i = b.endAt + 1;
        }
    }

    void record(int i, std::uint32_t mask, int c, int depth) {
        cycles += c;
        if (run) {
            run->steps.push_back({i, mask, c, depth, x});
            run->activeLaneCycles += static_cast<long long>(c) * __builtin_popcount(mask);
        }
    }
};

} // namespace

SimtKernel parseSimtKernel(const std::string& source) {
    SimtKernel k;
    std::string flat = source;
    std::replace(flat.begin(), flat.end(), '\n', ';');
    std::stringstream ss(flat);
    std::string part;
    int n = 0, depth = 0;
    std::vector<bool> sawElse;
    while (std::getline(ss, part, ';')) {
        std::string text = trim(part);
        if (text.empty())
            continue;
        ++n;
        SimtStmt s;
        s.line = n;
        int cycles = 1;
        const size_t at = text.find('@');
        if (at != std::string::npos) {
            long long c = 0;
            if (!parseInt(trim(text.substr(at + 1)), c) || c < 1 || c > 1000) {
                k.error = fail(n, text, "cycles after '@' must be an integer 1..1000");
                return k;
            }
            cycles = static_cast<int>(c);
            text = trim(text.substr(0, at));
        }
        const std::vector<std::string> w = words(text);
        if (w.empty()) {
            k.error = fail(n, text, "empty statement");
            return k;
        }
        if (w[0] == "else" && w.size() == 1) {
            if (depth == 0 || sawElse.back()) {
                k.error = fail(n, text,
                               depth == 0 ? "'else' without an open 'if'"
                                          : "a second 'else' for the same 'if'");
                return k;
            }
            sawElse.back() = true;
            s.kind = SimtStmt::Kind::Else;
            s.text = "else";
        } else if (w[0] == "end" && w.size() == 1) {
            if (depth == 0) {
                k.error = fail(n, text, "'end' without an open 'if'");
                return k;
            }
            --depth;
            sawElse.pop_back();
            s.kind = SimtStmt::Kind::End;
            s.text = "end";
        } else if (w[0] == "if") {
            // if VAR [% M] CMP K
            size_t p = 1;
            s.kind = SimtStmt::Kind::If;
            if (p >= w.size() || (w[p] != "lane" && w[p] != "x")) {
                k.error = fail(n, text, "expected 'if lane ...' or 'if x ...'");
                return k;
            }
            s.var = w[p] == "lane" ? SimtStmt::Var::Lane : SimtStmt::Var::X;
            ++p;
            if (p < w.size() && w[p] == "%") {
                if (p + 1 >= w.size() || !parseInt(w[p + 1], s.mod) || s.mod == 0) {
                    k.error = fail(n, text, "expected a non-zero integer after '%'");
                    return k;
                }
                p += 2;
            }
            static const std::pair<const char*, SimtStmt::Cmp> cmps[] = {
                {"<", SimtStmt::Cmp::Lt},  {">=", SimtStmt::Cmp::Ge}, {">", SimtStmt::Cmp::Gt},
                {"<=", SimtStmt::Cmp::Le}, {"==", SimtStmt::Cmp::Eq}, {"!=", SimtStmt::Cmp::Ne}};
            bool found = false;
            if (p < w.size())
                for (const auto& [t, c] : cmps)
                    if (w[p] == t)
                        s.cmp = c, found = true;
            if (!found || p + 2 != w.size() || !parseInt(w[p + 1], s.rhs)) {
                k.error = fail(n, text,
                               "expected 'if lane|x [% M] <|<=|>|>=|==|!= K' with "
                               "integers M, K");
                return k;
            }
            if (at != std::string::npos) {
                k.error = fail(n, text, "an 'if' costs 1 cycle; '@N' is for x statements");
                return k;
            }
            ++depth;
            sawElse.push_back(false);
            s.text = std::string("if ") + (s.var == SimtStmt::Var::Lane ? "lane" : "x") +
                     (s.mod ? " % " + std::to_string(s.mod) : "") + " " + cmpText(s.cmp) + " " +
                     std::to_string(s.rhs);
        } else if (w[0] == "x" && w.size() == 3 &&
                   (w[1] == "+=" || w[1] == "-=" || w[1] == "*=" || w[1] == "=")) {
            if (!parseInt(w[2], s.value)) {
                k.error = fail(n, text, "expected an integer after '" + w[1] + "'");
                return k;
            }
            s.kind = SimtStmt::Kind::Op;
            s.op = w[1][0];
            s.cycles = cycles;
            s.text = "x " + w[1] + " " + w[2] + (cycles != 1 ? " @" + std::to_string(cycles) : "");
        } else {
            k.error = fail(n, text,
                           "expected 'x += K', 'x -= K', 'x *= K', 'x = K', 'if ...', 'else' or "
                           "'end'");
            return k;
        }
        k.stmts.push_back(s);
    }
    if (depth != 0)
        k.error = "the kernel ends with " + std::to_string(depth) + " 'if' not closed by 'end'";
    else if (k.stmts.empty())
        k.error = "the kernel has no statements";
    return k;
}

SimtRun runSimt(const SimtKernel& k, const std::vector<long long>& input, int lanes) {
    if (!k.ok())
        throw std::invalid_argument("kernel: " + k.error);
    if (lanes < 1 || lanes > 32)
        throw std::invalid_argument("lanes must be 1..32, got " + std::to_string(lanes));
    SimtRun run;
    run.x.assign(32, 0);
    for (int l = 0; l < 32; ++l)
        run.x[l] = l < static_cast<int>(input.size()) ? input[l] : l;
    const std::uint32_t all = lanes == 32 ? 0xFFFFFFFFu : ((1u << lanes) - 1);
    Exec e{k.stmts, run.x, &run};
    e.go(0, static_cast<int>(k.stmts.size()), all, 0);
    run.cycles = e.cycles;
    run.x.resize(lanes);
    for (int l = 0; l < lanes; ++l) {
        int c = 0;
        runScalarLane(k, l, l < static_cast<int>(input.size()) ? input[l] : l, &c);
        run.uniformCycles = std::max(run.uniformCycles, c);
    }
    run.efficiency = run.cycles ? double(run.activeLaneCycles) / (double(lanes) * run.cycles) : 1;
    return run;
}

long long runScalarLane(const SimtKernel& k, int lane, long long x0, int* cycles) {
    if (!k.ok())
        throw std::invalid_argument("kernel: " + k.error);
    if (lane < 0 || lane > 31)
        throw std::invalid_argument("lane must be 0..31, got " + std::to_string(lane));
    std::vector<long long> x(32, 0);
    x[lane] = x0;
    Exec e{k.stmts, x, nullptr};
    e.go(0, static_cast<int>(k.stmts.size()), 1u << lane, 0);
    if (cycles)
        *cycles = e.cycles;
    return x[lane];
}

std::string maskText(std::uint32_t mask, int lanes) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", mask);
    std::string map;
    for (int l = 0; l < lanes; ++l)
        map += (mask >> l & 1u) ? '#' : '.';
    return std::string(hex) + " " + map;
}

std::string simtExample(const std::string& name) {
    if (name == "ifelse")
        return "x *= 2; if lane < 16; x += 10 @4; else; x -= 10 @4; end; x += 1";
    if (name == "oddeven")
        return "if x % 2 == 0; x *= 3 @2; else; x += 7 @2; end; x += 1";
    if (name == "uniform")
        return "x *= 2; if lane < 32; x += 10 @4; else; x -= 10 @4; end; x += 1";
    if (name == "nested")
        return "if lane < 16; x += 1 @2; if lane % 4 == 0; x *= 5 @3; end; else; x -= 1 @2; "
               "end; x += 100";
    return "";
}

const char* simtExampleNames() {
    return "ifelse, oddeven, uniform, nested";
}

} // namespace aisys::engine::hw::gpu
