// Compute definitions: matmul, convolutions in NCHW and NHWC, a 3×3 blur, an element-wise chain.
#include "engine/loops/compute.h"

#include <numeric>

namespace aisys::engine::loops {

std::int64_t ArrayDecl::elements() const {
    return std::accumulate(dims.begin(), dims.end(), std::int64_t{1},
                           [](std::int64_t a, std::int64_t b) { return a * b; });
}

int ComputeDef::axisIndex(const std::string& name) const {
    for (std::size_t a = 0; a < axes.size(); ++a)
        if (axes[a].name == name)
            return static_cast<int>(a);
    return -1;
}

std::string ComputeDef::refText(const ArrayRef& r) const {
    std::string s = arrays[r.array].name;
    for (const AffineIndex& ix : r.index) {
        std::string term;
        for (std::size_t a = 0; a < ix.coef.size(); ++a) {
            if (ix.coef[a] == 0)
                continue;
            if (!term.empty())
                term += " + ";
            if (ix.coef[a] != 1)
                term += std::to_string(ix.coef[a]) + "*";
            term += axes[a].name;
        }
        if (ix.constant != 0 || term.empty())
            term += (term.empty() ? "" : " + ") + std::to_string(ix.constant);
        s += "[" + term + "]";
    }
    return s;
}

std::string ComputeDef::statementText() const {
    std::vector<std::string> l;
    for (const ArrayRef& r : loads)
        l.push_back(refText(r));
    const std::string o = refText(out);
    switch (body) {
    case Body::MulAcc:
        return o + " += " + l[0] + " * " + l[1];
    case Body::Mean: {
        std::string sum;
        for (const std::string& s : l)
            sum += (sum.empty() ? "" : " + ") + s;
        return o + " = (" + sum + ") / " + std::to_string(l.size());
    }
    case Body::MulAddRelu:
        return o + " = max(" + l[0] + " * " + l[1] + " + " + l[2] + ", 0)";
    case Body::Add:
        return o + " += " + l[0];
    case Body::Max:
        return o + " = max(" + o + ", " + l[0] + ")";
    case Body::Fill:
        return o + " = -inf";
    case Body::ExpSub:
        return o + " = exp(" + l[0] + " - " + l[1] + ")";
    case Body::Div:
        return o + " = " + l[0] + " / " + l[1];
    }
    return o;
}

std::int64_t ComputeDef::poolBytes() const {
    std::int64_t end = 0;
    for (const ArrayDecl& a : arrays)
        end = std::max(end, a.offset + a.bytes());
    return end;
}

int ComputeDef::flopsPerIteration() const {
    switch (body) {
    case Body::MulAcc:
        return 2;
    case Body::Mean:
        return static_cast<int>(loads.size()); // n − 1 additions and one multiplication by 1/n
    case Body::MulAddRelu:
        return 3;
    case Body::Add:
    case Body::Max:
    case Body::Div:
        return 1;
    case Body::Fill:
        return 0;
    case Body::ExpSub:
        return 11; // the subtraction and exp, counted as 10 instructions (an assumption)
    }
    return 0;
}

namespace {

/// Builds a ComputeDef from array shapes and index lists written over axis names.
struct Builder {
    ComputeDef d;

    void axis(const char* name, std::int64_t extent, bool reduction = false) {
        d.axes.push_back({name, extent, reduction});
    }
    int array(const char* name, std::vector<std::int64_t> dims) {
        d.arrays.push_back({name, std::move(dims), 0});
        return static_cast<int>(d.arrays.size()) - 1;
    }
    /// One index: the sum of the named axes plus a constant.
    AffineIndex ix(std::initializer_list<const char*> names, std::int64_t constant = 0) const {
        AffineIndex r;
        r.constant = constant;
        r.coef.assign(d.axes.size(), 0);
        for (const char* n : names)
            r.coef[d.axisIndex(n)] += 1;
        return r;
    }
    ArrayRef ref(int array, std::vector<AffineIndex> index) const { return {array, index}; }
    /// Places the arrays one after the other, each at a multiple of 64 bytes (a cache line).
    ComputeDef done() {
        std::int64_t at = 0;
        for (ArrayDecl& a : d.arrays) {
            a.offset = at;
            at += (a.bytes() + 63) / 64 * 64;
        }
        return d;
    }
};

std::string sizes(std::initializer_list<std::pair<const char*, std::int64_t>> kv) {
    std::string s;
    for (const auto& [k, v] : kv)
        s += (s.empty() ? "" : " ") + std::string(k) + "=" + std::to_string(v);
    return s;
}

} // namespace

ComputeDef matmul(std::int64_t m, std::int64_t n, std::int64_t k) {
    Builder b;
    b.d.op = "matmul";
    b.d.signature = sizes({{"M", m}, {"N", n}, {"K", k}});
    b.axis("i", m);
    b.axis("j", n);
    b.axis("k", k, true);
    const int A = b.array("A", {m, k}), B = b.array("B", {k, n}), C = b.array("C", {m, n});
    b.d.loads = {b.ref(A, {b.ix({"i"}), b.ix({"k"})}), b.ref(B, {b.ix({"k"}), b.ix({"j"})})};
    b.d.out = b.ref(C, {b.ix({"i"}), b.ix({"j"})});
    b.d.accumulate = true;
    b.d.body = Body::MulAcc;
    return b.done();
}

ComputeDef convNchw(std::int64_t n, std::int64_t ic, std::int64_t h, std::int64_t w,
                    std::int64_t oc, std::int64_t kh, std::int64_t kw) {
    Builder b;
    const std::int64_t oh = h - kh + 1, ow = w - kw + 1;
    b.d.op = "conv-nchw";
    b.d.signature =
        sizes({{"N", n}, {"IC", ic}, {"H", h}, {"W", w}, {"OC", oc}, {"KH", kh}, {"KW", kw}});
    b.axis("n", n);
    b.axis("oc", oc);
    b.axis("oh", oh);
    b.axis("ow", ow);
    b.axis("ic", ic, true);
    b.axis("kh", kh, true);
    b.axis("kw", kw, true);
    const int I = b.array("I", {n, ic, h, w}), W = b.array("W", {oc, ic, kh, kw});
    const int O = b.array("O", {n, oc, oh, ow});
    b.d.loads = {b.ref(I, {b.ix({"n"}), b.ix({"ic"}), b.ix({"oh", "kh"}), b.ix({"ow", "kw"})}),
                 b.ref(W, {b.ix({"oc"}), b.ix({"ic"}), b.ix({"kh"}), b.ix({"kw"})})};
    b.d.out = b.ref(O, {b.ix({"n"}), b.ix({"oc"}), b.ix({"oh"}), b.ix({"ow"})});
    b.d.accumulate = true;
    b.d.body = Body::MulAcc;
    return b.done();
}

ComputeDef convNhwc(std::int64_t n, std::int64_t ic, std::int64_t h, std::int64_t w,
                    std::int64_t oc, std::int64_t kh, std::int64_t kw) {
    Builder b;
    const std::int64_t oh = h - kh + 1, ow = w - kw + 1;
    b.d.op = "conv-nhwc";
    b.d.signature =
        sizes({{"N", n}, {"IC", ic}, {"H", h}, {"W", w}, {"OC", oc}, {"KH", kh}, {"KW", kw}});
    b.axis("n", n);
    b.axis("oh", oh);
    b.axis("ow", ow);
    b.axis("oc", oc);
    b.axis("kh", kh, true);
    b.axis("kw", kw, true);
    b.axis("ic", ic, true);
    const int I = b.array("I", {n, h, w, ic}), W = b.array("W", {kh, kw, ic, oc});
    const int O = b.array("O", {n, oh, ow, oc});
    b.d.loads = {b.ref(I, {b.ix({"n"}), b.ix({"oh", "kh"}), b.ix({"ow", "kw"}), b.ix({"ic"})}),
                 b.ref(W, {b.ix({"kh"}), b.ix({"kw"}), b.ix({"ic"}), b.ix({"oc"})})};
    b.d.out = b.ref(O, {b.ix({"n"}), b.ix({"oh"}), b.ix({"ow"}), b.ix({"oc"})});
    b.d.accumulate = true;
    b.d.body = Body::MulAcc;
    return b.done();
}

ComputeDef blur3x3(std::int64_t h, std::int64_t w) {
    Builder b;
    b.d.op = "blur3x3";
    b.d.signature = sizes({{"H", h}, {"W", w}});
    b.axis("y", h);
    b.axis("x", w);
    const int in = b.array("in", {h + 2, w + 2}), out = b.array("out", {h, w});
    for (int dy = 0; dy < 3; ++dy)
        for (int dx = 0; dx < 3; ++dx)
            b.d.loads.push_back(b.ref(in, {b.ix({"y"}, dy), b.ix({"x"}, dx)}));
    b.d.out = b.ref(out, {b.ix({"y"}), b.ix({"x"})});
    b.d.body = Body::Mean;
    return b.done();
}

ComputeDef elementwise(std::int64_t m, std::int64_t n) {
    Builder b;
    b.d.op = "elementwise";
    b.d.signature = sizes({{"M", m}, {"N", n}});
    b.axis("i", m);
    b.axis("j", n);
    const int A = b.array("A", {m, n}), B = b.array("B", {m, n}), C = b.array("C", {m, n});
    const int out = b.array("out", {m, n});
    for (int a : {A, B, C})
        b.d.loads.push_back(b.ref(a, {b.ix({"i"}), b.ix({"j"})}));
    b.d.out = b.ref(out, {b.ix({"i"}), b.ix({"j"})});
    b.d.body = Body::MulAddRelu;
    return b.done();
}

ComputeDef accumulate(std::int64_t n, std::int64_t m) {
    Builder b;
    b.d.op = "accumulate";
    b.d.signature = sizes({{"n", n}, {"m", m}});
    b.axis("i", n);
    b.axis("j", m, true);
    const int A = b.array("A", {n}), B = b.array("B", {m});
    b.d.loads = {b.ref(B, {b.ix({"j"})})};
    b.d.out = b.ref(A, {b.ix({"i"})});
    b.d.accumulate = true;
    b.d.body = Body::Add;
    return b.done();
}

int Pipeline::stageIndex(const std::string& name) const {
    for (std::size_t s = 0; s < stages.size(); ++s)
        if (stages[s].stage == name)
            return static_cast<int>(s);
    return -1;
}

Pipeline softmax(std::int64_t m, std::int64_t n) {
    // The arrays placed once; one Builder per stage over them.
    std::vector<ArrayDecl> arrays = {
        {"X", {m, n}, 0}, {"mx", {m}, 0}, {"E", {m, n}, 0}, {"S", {m}, 0}, {"Y", {m, n}, 0}};
    std::int64_t at = 0;
    for (ArrayDecl& a : arrays) {
        a.offset = at;
        at += (a.bytes() + 63) / 64 * 64;
    }
    enum { X, MX, E, S, Y };
    Pipeline p;
    p.op = "softmax";
    p.signature = sizes({{"M", m}, {"N", n}});
    auto stage = [&](const char* name, bool rowOnly, bool jReduces) {
        Builder b;
        b.d.op = "softmax";
        b.d.signature = p.signature;
        b.d.stage = name;
        b.axis("i", m);
        if (!rowOnly)
            b.axis("j", n, jReduces);
        b.d.arrays = arrays;
        return b;
    };
    {
        Builder b = stage("init", true, false);
        b.d.out = b.ref(MX, {b.ix({"i"})});
        b.d.body = Body::Fill;
        p.stages.push_back(b.d);
    }
    {
        Builder b = stage("max", false, true);
        b.d.loads = {b.ref(X, {b.ix({"i"}), b.ix({"j"})})};
        b.d.out = b.ref(MX, {b.ix({"i"})});
        b.d.accumulate = true;
        b.d.body = Body::Max;
        p.stages.push_back(b.d);
    }
    {
        Builder b = stage("exp", false, false);
        b.d.loads = {b.ref(X, {b.ix({"i"}), b.ix({"j"})}), b.ref(MX, {b.ix({"i"})})};
        b.d.out = b.ref(E, {b.ix({"i"}), b.ix({"j"})});
        b.d.body = Body::ExpSub;
        p.stages.push_back(b.d);
    }
    {
        Builder b = stage("sum", false, true);
        b.d.loads = {b.ref(E, {b.ix({"i"}), b.ix({"j"})})};
        b.d.out = b.ref(S, {b.ix({"i"})});
        b.d.accumulate = true;
        b.d.body = Body::Add;
        p.stages.push_back(b.d);
    }
    {
        Builder b = stage("div", false, false);
        b.d.loads = {b.ref(E, {b.ix({"i"}), b.ix({"j"})}), b.ref(S, {b.ix({"i"})})};
        b.d.out = b.ref(Y, {b.ix({"i"}), b.ix({"j"})});
        b.d.body = Body::Div;
        p.stages.push_back(b.d);
    }
    return p;
}

Checked<Pipeline> makePipeline(const std::string& op, const std::vector<std::int64_t>& s) {
    using R = Checked<Pipeline>;
    if (op == "softmax") {
        if (s.size() != 2)
            return R::fail("op 'softmax' takes 2 sizes M,N, got " + std::to_string(s.size()));
        for (std::size_t i = 0; i < 2; ++i)
            if (s[i] < 1 || s[i] > (1 << 15))
                return R::fail("op 'softmax': size " + std::to_string(i + 1) + " of M,N is " +
                               std::to_string(s[i]) + "; every size must be 1…32768");
        return R{softmax(s[0], s[1]), ""};
    }
    auto d = makeCompute(op, s);
    if (!d)
        return R::fail(d.error);
    Pipeline p;
    p.op = d.value->op;
    p.signature = d.value->signature;
    p.stages.push_back(*d.value);
    return R{std::move(p), ""};
}

std::string computeOpsHelp() {
    return "matmul M,N,K; conv-nchw N,IC,H,W,OC,KH,KW; conv-nhwc N,IC,H,W,OC,KH,KW; "
           "blur3x3 H,W; elementwise M,N; accumulate N,M; softmax M,N";
}

Checked<ComputeDef> makeCompute(const std::string& op, const std::vector<std::int64_t>& s) {
    using C = Checked<ComputeDef>;
    constexpr std::int64_t kMaxSize = 1 << 20;
    auto want = [&](std::size_t n, const char* names) -> std::string {
        if (s.size() != n)
            return "op '" + op + "' takes " + std::to_string(n) + " sizes " + names + ", got " +
                   std::to_string(s.size());
        for (std::size_t i = 0; i < s.size(); ++i)
            if (s[i] < 1 || s[i] > kMaxSize)
                return "op '" + op + "': size " + std::to_string(i + 1) + " of " + names + " is " +
                       std::to_string(s[i]) + "; every size must be 1…" + std::to_string(kMaxSize);
        // Every array and the iteration box are at most the product of the sizes.
        std::int64_t product = 1;
        for (std::int64_t v : s)
            if ((product *= v) > (std::int64_t{1} << 40))
                return "op '" + op + "': the sizes " + names +
                       " multiply to more than 2^40 (no array or iteration space that large "
                       "can be simulated)";
        return "";
    };
    std::optional<ComputeDef> d;
    std::string err;
    if (op == "matmul") {
        if ((err = want(3, "M,N,K")).empty())
            d = matmul(s[0], s[1], s[2]);
    } else if (op == "conv-nchw" || op == "conv-nhwc") {
        if ((err = want(7, "N,IC,H,W,OC,KH,KW")).empty()) {
            if (s[5] > s[2] || s[6] > s[3])
                err = "op '" + op + "': the kernel " + std::to_string(s[5]) + "×" +
                      std::to_string(s[6]) + " is larger than the input " + std::to_string(s[2]) +
                      "×" + std::to_string(s[3]) + " (a valid convolution needs KH ≤ H, KW ≤ W)";
            else
                d = op == "conv-nchw" ? convNchw(s[0], s[1], s[2], s[3], s[4], s[5], s[6])
                                      : convNhwc(s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
        }
    } else if (op == "blur3x3") {
        if ((err = want(2, "H,W")).empty())
            d = blur3x3(s[0], s[1]);
    } else if (op == "elementwise") {
        if ((err = want(2, "M,N")).empty())
            d = elementwise(s[0], s[1]);
    } else if (op == "accumulate") {
        if ((err = want(2, "N,M")).empty())
            d = accumulate(s[0], s[1]);
    } else if (op == "softmax") {
        return C::fail("op 'softmax' has five stages: build it with makePipeline");
    } else {
        return C::fail("unknown op '" + op + "' (expected one of: " + computeOpsHelp() + ")");
    }
    if (!d)
        return C::fail(err);
    for (const ArrayDecl& a : d->arrays)
        if (a.elements() > (std::int64_t{1} << 31))
            return C::fail("op '" + op + "': array " + a.name + " would have " +
                           std::to_string(a.elements()) + " elements; at most 2^31 are supported");
    return C{std::move(d), ""};
}

} // namespace aisys::engine::loops
