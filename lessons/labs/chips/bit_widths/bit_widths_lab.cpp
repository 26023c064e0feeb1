// Lab "bit-inspector": three frames — the formats' layouts, one value bit by bit, the ranges.
#include "lessons/labs/chips/bit_widths/bit_widths_lab.h"

#include "engine/hw/bits/bit_formats.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace aisys::lessons {

using namespace viz;
namespace hw = engine::hw;

namespace {

constexpr std::uint32_t kBitId = 100;  // + bit index (inspect frame)
constexpr std::uint32_t kRowId = 300;  // + format index (formats and ranges frames)
constexpr std::uint32_t kTickId = 400; // + neighbour index (inspect frame)

/// "3.25", "448", "1.1754943508222875e-38": the shortest text that reads back exactly.
std::string exact(double v) {
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+inf" : "-inf";
    // The fewest digits that read back exactly; no exponent for moderate magnitudes.
    const bool plain = v == 0 || (std::fabs(v) >= 1e-5 && std::fabs(v) < 1e16);
    char b[40];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(b, sizeof b, "%.*g", digits, v);
        if (std::strtod(b, nullptr) == v && (!plain || !std::strchr(b, 'e')))
            break;
    }
    return b;
}

/// Six significant digits ("3.40282e+38", "65504"), for the overview frames.
std::string brief(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}

std::string hexCode(std::uint64_t code, int bits) {
    char b[32];
    std::snprintf(b, sizeof b, "0x%0*llX", (bits + 3) / 4, static_cast<unsigned long long>(code));
    return b;
}

/// The field colour of bit `b` (0 = most significant) of a format.
Color fieldColor(const hw::FormatSpec& s, int b, const Palette& pal) {
    if (!s.isFloat)
        return b == 0 && s.isSigned ? pal.category(3) : pal.category(2);
    return b == 0 ? pal.category(3) : b <= s.exponentBits ? pal.category(0) : pal.category(2);
}

class BitRun : public LabRun {
public:
    BitRun(hw::BitFormat f, double value, std::string code)
        : m_format(f), m_value(value), m_codeText(std::move(code)) {
        // 1. A code given as text is decoded; otherwise the value is encoded (RNE).
        if (!m_codeText.empty()) {
            const auto c = hw::parseCode(m_codeText);
            if (!c)
                throw std::invalid_argument("code '" + m_codeText +
                                            "': expected 0x.., 0b.. or decimal digits");
            const auto d = hw::decode(f, *c);
            if (!d.ok())
                throw std::invalid_argument("code '" + m_codeText + "': " + d.error);
            m_code = *c;
        } else {
            m_enc = hw::encode(f, value);
            if (!m_enc.ok())
                throw std::invalid_argument("value " + exact(value) + ": " + m_enc.error);
            m_code = m_enc.code;
        }
        m_dec = hw::decode(f, m_code).d;
    }
    std::vector<Phase> phases() const override {
        return {{"formats", 1}, {"inspect", 1}, {"ranges", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override {
        return frame == 0 ? formats(opt) : frame == 1 ? inspect(opt) : ranges(opt);
    }

private:
    Scene formats(const DrawOptions& opt) const;
    Scene inspect(const DrawOptions& opt) const;
    Scene ranges(const DrawOptions& opt) const;
    void neighbours(DisplayList& dl, const DrawOptions& opt, const Palette& pal, float y) const;
    hw::BitFormat m_format;
    double m_value;
    std::string m_codeText;
    std::uint64_t m_code = 0;
    hw::Encoded m_enc;
    hw::Decoded m_dec;
};

std::vector<LegendEntry> fieldLegend(Lang L, const Palette& pal) {
    return {{pal.category(3), tr2(L, "sign", "符号")},
            {pal.category(0), tr2(L, "exponent", "指数")},
            {pal.category(2), tr2(L, "mantissa / integer bits", "尾数 / 整数位")}};
}

Scene BitRun::formats(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const float x0 = 130, w = 11, h = 22, rowH = 40;
    float y = 50;
    const auto& all = hw::allFormats();
    for (std::size_t i = 0; i < all.size(); ++i, y += rowH) {
        const hw::FormatSpec& s = all[i];
        const auto id = kRowId + static_cast<std::uint32_t>(i);
        const bool chosen = s.format == m_format;
        dl.text({x0 - 14, y + h / 2}, s.label, chosen ? pal.accent : pal.foreground, 14,
                HAlign::Right, VAlign::Middle, id)
            .bold = chosen;
        for (int b = 0; b < s.bits; ++b)
            dl.box({x0 + b * w, y, w - 2, h}, mix(pal.background, fieldColor(s, b, pal), 0.7f),
                   kNoColor, 1, 1, id);
        const std::string layout =
            s.isFloat ? "1 | " + std::to_string(s.exponentBits) + " | " +
                            std::to_string(s.mantissaBits) + ", bias " + std::to_string(s.bias)
                      : std::string(s.isSigned ? "two's complement" : "unsigned");
        dl.text({x0 + 64 * w + 14, y + 3}, layout, pal.foreground, 12, HAlign::Left, VAlign::Top,
                id);
        dl.text({x0 + 64 * w + 200, y + 3},
                tr2(L, "max ", "最大 ") + brief(hw::maxFinite(s.format)), pal.muted, 12,
                HAlign::Left, VAlign::Top, id);
        ObjectInfo info;
        info.title = s.label;
        info.facts = {
            {tr2(L, "bits", "位数"), std::to_string(s.bits)},
            {tr2(L, "largest finite", "最大有限值"), exact(hw::maxFinite(s.format))},
            {tr2(L, "smallest normal", "最小正规数"), exact(hw::minNormal(s.format))},
            {tr2(L, "smallest subnormal", "最小次正规数"), exact(hw::minSubnormal(s.format))},
            {tr2(L, "defined by", "定义"), s.standard}};
        sc.objects[id] = info;
    }
    sc.caption = tr2(L,
                     "Every format is sign | exponent | mantissa: more exponent bits buy range, "
                     "more mantissa bits buy precision",
                     "每种格式都是 符号 | 指数 | 尾数：指数位换范围，尾数位换精度");
    sc.legend = fieldLegend(L, pal);
    return sc;
}

Scene BitRun::inspect(const DrawOptions& opt) const {
    // 1. The code's bits as boxes coloured by field, each with its digit. 2. The fields
    //    decoded into the value's formula. 3. The facts: input, nearest value, error, ulp,
    //    class, range rule. 4. The representable neighbours on a number line.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    const hw::FormatSpec& s = hw::formatSpec(m_format);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const float w = s.bits > 32 ? 14.0f : s.bits > 19 ? 26.0f : 40.0f, h = 40, x0 = 60, y0 = 70;
    dl.text({x0, y0 - 40}, std::string(s.label) + "  " + hexCode(m_code, s.bits), pal.foreground,
            18)
        .bold = true;
    for (int b = 0; b < s.bits; ++b) {
        const int bitValue = int((m_code >> (s.bits - 1 - b)) & 1);
        const auto id = kBitId + static_cast<std::uint32_t>(b);
        const Color c = fieldColor(s, b, pal);
        dl.box({x0 + b * w, y0, w - 3, h}, bitValue ? c : mix(pal.background, c, 0.25f), c, 3, 1.5f,
               id);
        dl.text({x0 + b * w + (w - 3) / 2, y0 + h / 2}, std::to_string(bitValue),
                bitValue ? textOn(c) : pal.foreground, w > 20 ? 18.0f : 11.0f, HAlign::Center,
                VAlign::Middle, id);
        ObjectInfo info;
        info.title = tr2(L, "bit ", "第 ") + std::to_string(s.bits - 1 - b) + tr2(L, "", " 位");
        info.facts = {{tr2(L, "value", "值"), std::to_string(bitValue)}};
        sc.objects[id] = info;
    }
    float y = y0 + h + 30;
    std::vector<FactRow> rows;
    const std::string value = exact(m_dec.value);
    if (s.isFloat) {
        const std::string e = std::to_string(m_dec.exponent), m = std::to_string(m_dec.mantissa);
        const std::string den = "2^" + std::to_string(s.mantissaBits);
        std::string formula;
        switch (m_dec.cls) {
        case hw::ValueClass::Normal:
            formula = "(−1)^" + std::to_string(m_dec.sign) + " × 2^(" + e + "−" +
                      std::to_string(s.bias) + ") × (1 + " + m + "/" + den + ") = " + value;
            break;
        case hw::ValueClass::Subnormal:
            formula = "(−1)^" + std::to_string(m_dec.sign) + " × 2^(1−" + std::to_string(s.bias) +
                      ") × " + m + "/" + den + " = " + value;
            break;
        default:
            formula = std::string(hw::valueClassName(m_dec.cls)) + " = " + value;
        }
        rows.push_back({tr2(L, "fields", "字段"), tr2(L, "sign ", "符号 ") +
                                                      std::to_string(m_dec.sign) +
                                                      tr2(L, ", exponent ", "，指数 ") + e +
                                                      tr2(L, ", mantissa ", "，尾数 ") + m});
        rows.push_back({tr2(L, "decode", "解码"), formula});
    } else {
        rows.push_back({tr2(L, "decode", "解码"), m_dec.bitsText + " = " + value});
    }
    if (m_codeText.empty()) {
        rows.push_back({tr2(L, "input", "输入"), exact(m_value)});
        std::string nearest = value;
        if (m_enc.exact)
            nearest += tr2(L, " (exact)", "（精确）");
        else if (m_enc.overflow)
            nearest += std::isinf(m_dec.value) ? tr2(L, " (overflow → inf)", "（上溢 → inf）")
                                               : tr2(L, " (overflow: saturated)", "（上溢：饱和）");
        else if (m_enc.underflow)
            nearest += tr2(L, " (underflow to zero)", "（下溢为零）");
        rows.push_back({tr2(L, "nearest representable", "最近的可表示值"), nearest});
        if (!m_enc.exact && std::isfinite(m_dec.value))
            rows.push_back({tr2(L, "rounding error", "舍入误差"), exact(m_dec.value - m_value)});
    }
    const double ulp = hw::ulpAt(m_format, m_dec.value);
    if (std::isfinite(ulp))
        rows.push_back({tr2(L, "ulp here", "此处的 ulp"), exact(ulp)});
    rows.push_back({tr2(L, "range", "范围"),
                    exact(hw::minFinite(m_format)) + " … " + exact(hw::maxFinite(m_format))});
    const char* rule =
        !s.isFloat ? tr2(L, "no NaN or Inf: out-of-range values saturate",
                         "没有 NaN 和 Inf：超出范围的值饱和")
        : s.nan == hw::FormatSpec::NaN::AllOnes
            ? tr2(L, "no infinity; NaN only at S.1111.111; overflow saturates to ±448",
                  "没有无穷大；NaN 只有 S.1111.111；上溢饱和到 ±448")
        : s.nan == hw::FormatSpec::NaN::None
            ? tr2(L, "no NaN, no infinity: overflow saturates", "没有 NaN 和无穷大：上溢饱和")
            : tr2(L, "IEEE: exponent all ones is ±inf or NaN; overflow gives ±inf",
                  "IEEE：指数全 1 表示 ±inf 或 NaN；上溢得到 ±inf");
    rows.push_back({tr2(L, "special values", "特殊值"), rule});
    y = drawFactTable(dl, {x0, y}, rows, pal, 15, 210);
    neighbours(dl, opt, pal, y + 50);
    sc.caption = std::string(s.label) + tr2(L, ": ", "：") + exact(m_dec.value) +
                 tr2(L, " bit by bit", " 的逐位分解");
    sc.legend = fieldLegend(L, pal);
    return sc;
}

void BitRun::neighbours(DisplayList& dl, const DrawOptions& opt, const Palette& pal,
                        float y) const {
    // The codes next to ours in magnitude (same sign, finite, not NaN): for sign-magnitude
    // floats and for integers alike, code ± k walks the representable values in order.
    const Lang L = opt.lang;
    const hw::FormatSpec& s = hw::formatSpec(m_format);
    if (!std::isfinite(m_dec.value) || s.bits > 19)
        return; // FP32/FP64 neighbours are too close to draw apart; the ulp says it
    std::vector<std::pair<std::uint64_t, double>> pts;
    const std::uint64_t top = (1ull << s.bits) - 1;
    const int sign = m_dec.sign;
    for (int k = -3; k <= 3; ++k) {
        const std::int64_t c = std::int64_t(m_code) + k;
        if (c < 0 || std::uint64_t(c) > top)
            continue;
        const auto d = hw::decode(m_format, std::uint64_t(c)).d;
        if (!std::isfinite(d.value) || (s.isFloat && d.sign != sign))
            continue;
        pts.push_back({std::uint64_t(c), d.value});
    }
    if (pts.size() < 2)
        return;
    double lo = pts.front().second, hi = pts.front().second;
    for (const auto& p : pts) {
        lo = std::min(lo, p.second);
        hi = std::max(hi, p.second);
    }
    if (m_codeText.empty() && std::isfinite(m_value)) {
        lo = std::min(lo, m_value);
        hi = std::max(hi, m_value);
    }
    const float x0 = 80, x1 = 880;
    auto X = [&](double v) { return float(x0 + (v - lo) / (hi - lo) * (x1 - x0)); };
    dl.text({x0 - 20, y - 34}, tr2(L, "representable neighbours", "相邻的可表示值"), pal.muted, 13);
    dl.line({x0 - 20, y}, {x1 + 20, y}, pal.foreground, 1.5f);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const auto& [code, v] = pts[i];
        const bool ours = code == m_code;
        const auto id = kTickId + static_cast<std::uint32_t>(i);
        dl.line({X(v), y - 10}, {X(v), y + 10}, ours ? pal.accent : pal.foreground, ours ? 3 : 1.5f,
                id);
        dl.text({X(v), y + 14}, exact(v), ours ? pal.accent : pal.foreground, 12, HAlign::Center,
                VAlign::Top, id)
            .bold = ours;
        dl.text({X(v), y + 32}, hexCode(code, s.bits), pal.muted, 10, HAlign::Center, VAlign::Top,
                id);
    }
    if (m_codeText.empty() && std::isfinite(m_value) && !m_enc.exact) {
        const float xv = X(m_value);
        dl.polygon({{xv, y - 4}, {xv - 6, y - 16}, {xv + 6, y - 16}}, pal.bad);
        dl.text({xv, y - 20}, "x = " + exact(m_value), pal.bad, 12, HAlign::Center, VAlign::Bottom);
    }
}

Scene BitRun::ranges(const DrawOptions& opt) const {
    // A log₁₀ axis from 1e−46 to 1e39: each format's bar from its smallest subnormal (light)
    // through its smallest normal to its largest value; FP64 runs off both ends.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const float x0 = 150, x1 = 1050, rowH = 34, y0 = 70;
    const double lo = -46, hi = 39;
    auto X = [&](double v) {
        const double l = std::clamp(std::log10(v), lo, hi);
        return float(x0 + (l - lo) / (hi - lo) * (x1 - x0));
    };
    const auto& all = hw::allFormats();
    const float yEnd = y0 + all.size() * rowH;
    for (int p = -45; p <= 35; p += 10) {
        const float x = X(std::pow(10.0, p));
        dl.line({x, y0 - 8}, {x, yEnd}, pal.grid, 1).layer = -1;
        dl.text({x, y0 - 12}, "1e" + std::to_string(p), pal.muted, 11, HAlign::Center,
                VAlign::Bottom);
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        const hw::FormatSpec& s = all[i];
        const float y = y0 + i * rowH;
        const auto id = kRowId + static_cast<std::uint32_t>(i);
        const Color c = pal.category(i);
        const bool chosen = s.format == m_format;
        dl.text({x0 - 12, y + 10}, s.label, chosen ? pal.accent : pal.foreground, 13, HAlign::Right,
                VAlign::Middle, id)
            .bold = chosen;
        const float xs = X(hw::minSubnormal(s.format)), xn = X(hw::minNormal(s.format)),
                    xm = X(hw::maxFinite(s.format));
        dl.box({xs, y + 2, std::max(1.0f, xn - xs), 16}, mix(pal.background, c, 0.35f), kNoColor, 0,
               1, id);
        dl.box({xn, y + 2, std::max(1.0f, xm - xn), 16}, c, kNoColor, 0, 1, id);
        const double digits = s.isFloat ? (s.mantissaBits + 1) * std::log10(2.0) : 0;
        const std::string note =
            s.isFloat ? brief(hw::maxFinite(s.format)) + tr2(L, " · ", " · ") +
                            std::to_string(s.mantissaBits + 1) +
                            tr2(L, " significant bits ≈ ", " 位有效位 ≈ ") + fmtNum(digits, 1) +
                            tr2(L, " digits", " 位十进制")
                      : exact(hw::minFinite(s.format)) + " … " + exact(hw::maxFinite(s.format));
        dl.text({x1 + 12, y + 10}, note, pal.foreground, 12, HAlign::Left, VAlign::Middle, id);
    }
    dl.text({x0, yEnd + 20},
            tr2(L,
                "light: subnormals (gradual underflow), solid: normal numbers; FP64 reaches "
                "4.9e−324 … 1.8e308",
                "浅色：次正规数（渐进下溢），深色：正规数；FP64 的范围为 4.9e−324 … 1.8e308"),
            pal.muted, 12);
    sc.caption = tr2(L, "Range (log scale) and precision of every format",
                     "每种格式的范围（对数坐标）与精度");
    return sc;
}

} // namespace

LocalText BitWidthsLab::title() const {
    return {"Bit inspector", "位宽检查器"};
}

std::vector<ParamSpec> BitWidthsLab::params() const {
    std::vector<std::string> names;
    for (const hw::FormatSpec& s : hw::allFormats())
        names.push_back(s.name);
    return {
        {"format", ParamType::Choice, {"format", "格式"}, 0, 0, names, std::string("fp32")},
        // ±1e38: the parameter panel's slider holds a float (Dear ImGui asserts |range| ≤
        // FLT_MAX/2); FP64's whole range is for `aisyslab bits`.
        {"value", ParamType::Float, {"value to encode", "要编码的值"}, -1e38, 1e38, {}, 26.0},
        {"code",
         ParamType::Text,
         {"or a code to decode (0x.., 0b..)", "或要解码的编码（0x..、0b..）"},
         0,
         0,
         {},
         std::string()},
    };
}

std::unique_ptr<LabRun> BitWidthsLab::run(const ParamSet& p) const {
    const std::string name = p.getString("format", "fp32");
    const auto f = hw::formatByName(name);
    if (!f)
        throw std::invalid_argument("format '" + name + "': expected one of " + hw::formatNames());
    return std::make_unique<BitRun>(*f, p.getFloat("value", 26.0), p.getString("code", ""));
}

} // namespace aisys::lessons
