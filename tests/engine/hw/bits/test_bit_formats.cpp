// Bit formats: exhaustive round trips of every code up to 19 bits, FP32 and FP16 against the
// hardware conversions, the range of each format, the course's example, the special rules.
#include "engine/hw/bits/bit_formats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace hw = aisys::engine::hw;
using hw::BitFormat;

TEST(BitFormats, EveryCodeOfEverySmallFormatRoundTrips) {
    // decode → encode gives the same code for every non-NaN code (−0 included); NaN codes
    // decode to NaN and encode back to a NaN code of the format.
    for (const hw::FormatSpec& s : hw::allFormats()) {
        if (s.bits > 19)
            continue;
        int nans = 0;
        for (std::uint64_t code = 0; code < (1ull << s.bits); ++code) {
            const auto d = hw::decode(s.format, code);
            ASSERT_TRUE(d.ok()) << d.error;
            const auto e = hw::encode(s.format, d.d.value);
            ASSERT_TRUE(e.ok()) << s.name << " " << code << ": " << e.error;
            if (d.d.cls == hw::ValueClass::NaN) {
                ++nans;
                EXPECT_EQ(hw::decode(s.format, e.code).d.cls, hw::ValueClass::NaN);
                continue;
            }
            ASSERT_EQ(e.code, code) << s.name << " value " << d.d.value;
            EXPECT_TRUE(e.exact);
            EXPECT_FALSE(e.overflow);
        }
        // NaN counts: IEEE 2·(2^m − 1), E4M3 exactly two (S.1111.111), none for FP6/FP4/ints.
        const int expected = s.nan == hw::FormatSpec::NaN::Ieee ? 2 * ((1 << s.mantissaBits) - 1)
                             : s.nan == hw::FormatSpec::NaN::AllOnes ? 2
                                                                     : 0;
        EXPECT_EQ(nans, expected) << s.name;
    }
}

TEST(BitFormats, Fp32AndFp64CodesRoundTrip) {
    // decode → encode on a million random FP32 and FP64 codes (NaNs excepted).
    std::mt19937_64 rng(5);
    for (const BitFormat f : {BitFormat::Fp32, BitFormat::Fp64}) {
        const int bits = hw::formatSpec(f).bits;
        for (int i = 0; i < 1000000; ++i) {
            const std::uint64_t code = bits == 64 ? rng() : rng() & 0xFFFFFFFFu;
            const double v = hw::decodeValue(f, code);
            if (std::isnan(v))
                continue;
            const auto e = hw::encode(f, v);
            ASSERT_EQ(e.code, code) << hw::formatSpec(f).name << " " << std::hexfloat << v;
            ASSERT_TRUE(e.exact);
        }
    }
}

TEST(BitFormats, Fp32AgreesWithTheHardwareConversionOnManyDoubles) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::uint64_t> bits;
    for (int i = 0; i < 200000; ++i) {
        double x;
        std::uint64_t b = bits(rng);
        std::memcpy(&x, &b, sizeof x);
        if (std::isnan(x))
            continue;
        // Mostly values near FP32's range: scale the exponent into [-160, 140].
        int exp = 0;
        if (i % 2 == 0)
            x = std::ldexp(std::frexp(x, &exp), int(b % 300) - 160);
        const float hwf = static_cast<float>(x);
        const auto e = hw::encode(BitFormat::Fp32, x);
        std::uint32_t hwCode;
        std::memcpy(&hwCode, &hwf, sizeof hwf);
        ASSERT_EQ(e.code, hwCode) << std::hexfloat << x;
        // And FP32 codes decode to the float's value.
        ASSERT_EQ(hw::decodeValue(BitFormat::Fp32, hwCode), double(hwf));
    }
}

#if defined(__FLT16_MAX__)
TEST(BitFormats, Fp16AgreesWithGccFloat16) {
    for (std::uint32_t code = 0; code < 65536; ++code) {
        const std::uint16_t c16 = static_cast<std::uint16_t>(code);
        _Float16 h;
        std::memcpy(&h, &c16, sizeof h);
        const double v = double(h);
        if (std::isnan(v))
            continue;
        ASSERT_EQ(hw::decodeValue(BitFormat::Fp16, code), v) << code;
    }
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> mant(-1, 1);
    for (int i = 0; i < 200000; ++i) {
        const double x = std::ldexp(mant(rng), i % 46 - 28); // subnormals to past 65504
        const _Float16 h = static_cast<_Float16>(x);
        std::uint16_t c16;
        std::memcpy(&c16, &h, sizeof h);
        ASSERT_EQ(hw::encode(BitFormat::Fp16, x).code, c16) << std::hexfloat << x;
    }
}
#else
TEST(BitFormats, Fp16AgreesWithGccFloat16) {
    GTEST_SKIP() << "this compiler has no _Float16 (GCC 12 on x86-64 has)";
}
#endif

TEST(BitFormats, Bf16IsTheTopHalfOfFp32RoundedToNearestEven) {
    // A known-good reference: BF16 = FP32 bits + 0x7FFF + (bit 16), shifted right 16.
    std::mt19937 rng(3);
    for (int i = 0; i < 100000; ++i) {
        std::uint32_t b = rng();
        float f;
        std::memcpy(&f, &b, sizeof f);
        if (std::isnan(f))
            continue;
        const std::uint32_t ref = (b + 0x7FFF + ((b >> 16) & 1)) >> 16;
        ASSERT_EQ(hw::encode(BitFormat::Bf16, f).code, ref) << std::hexfloat << f;
    }
}

TEST(BitFormats, TheCourseExample0_10000011_101IsTwentySix) {
    // SYLLABUS §2.4: sign 0, exponent 131 (2^4), mantissa 1.101₂ = 1.625 → 26.
    const std::uint64_t code = (0u << 31) | (0b10000011u << 23) | (0b101u << 20);
    const auto d = hw::decode(BitFormat::Fp32, code);
    EXPECT_DOUBLE_EQ(d.d.value, 26);
    EXPECT_EQ(d.d.unbiasedExponent, 4);
    EXPECT_EQ(d.d.bitsText, "0 10000011 10100000000000000000000");
    EXPECT_EQ(hw::encode(BitFormat::Fp32, 26).code, code);
    // Two's complement: −13 = 1111 0011.
    EXPECT_EQ(hw::encode(BitFormat::Int8, -13).code, 0xF3u);
    EXPECT_EQ(hw::decode(BitFormat::Int8, 0xF3).d.bitsText, "1111 0011");
}

TEST(BitFormats, RangesOfEveryFormat) {
    EXPECT_EQ(hw::maxFinite(BitFormat::E4M3), 448);
    EXPECT_EQ(hw::maxFinite(BitFormat::E5M2), 57344);
    EXPECT_EQ(hw::maxFinite(BitFormat::E3M2), 28);
    EXPECT_EQ(hw::maxFinite(BitFormat::E2M3), 7.5);
    EXPECT_EQ(hw::maxFinite(BitFormat::E2M1), 6);
    EXPECT_EQ(hw::maxFinite(BitFormat::Fp16), 65504);
    EXPECT_EQ(hw::maxFinite(BitFormat::Fp32), double(std::numeric_limits<float>::max()));
    EXPECT_EQ(hw::maxFinite(BitFormat::Fp64), std::numeric_limits<double>::max());
    EXPECT_EQ(hw::maxFinite(BitFormat::Bf16), 0x1.FEp127);
    EXPECT_EQ(hw::minNormal(BitFormat::Fp32), double(std::numeric_limits<float>::min()));
    EXPECT_EQ(hw::minSubnormal(BitFormat::Fp32), double(std::numeric_limits<float>::denorm_min()));
    EXPECT_EQ(hw::minSubnormal(BitFormat::Fp64), std::numeric_limits<double>::denorm_min());
    EXPECT_EQ(hw::minSubnormal(BitFormat::Fp16), std::ldexp(1.0, -24));
    EXPECT_EQ(hw::minSubnormal(BitFormat::E4M3), std::ldexp(1.0, -9));
    EXPECT_EQ(hw::minSubnormal(BitFormat::E5M2), std::ldexp(1.0, -16));
    EXPECT_EQ(hw::minSubnormal(BitFormat::E2M1), 0.5);
    EXPECT_EQ(hw::minFinite(BitFormat::Int8), -128);
    EXPECT_EQ(hw::maxFinite(BitFormat::UInt8), 255);
    EXPECT_EQ(hw::ulpAt(BitFormat::Fp16, 1.0), std::ldexp(1.0, -10));
    EXPECT_EQ(hw::ulpAt(BitFormat::E4M3, 300), 32);
    EXPECT_EQ(hw::ulpAt(BitFormat::Fp32, 1e-45), std::ldexp(1.0, -149));
}

TEST(BitFormats, OverflowNanAndInfinityFollowEachFormatsRule) {
    // E4M3: no infinity; finite overflow saturates to ±448; S.1111.111 is NaN; Inf → NaN.
    EXPECT_EQ(hw::encode(BitFormat::E4M3, 1e6).code, 0x7Eu);
    EXPECT_TRUE(hw::encode(BitFormat::E4M3, 1e6).overflow);
    EXPECT_EQ(hw::encode(BitFormat::E4M3, -1e6).code, 0xFEu);
    EXPECT_EQ(hw::encode(BitFormat::E4M3, 464).code, 0x7Eu); // tie 448|480 → even (448)
    EXPECT_TRUE(std::isnan(hw::decodeValue(BitFormat::E4M3, 0x7F)));
    EXPECT_EQ(hw::decodeValue(BitFormat::E4M3, 0x78), 256); // S.1111.000 is a normal number
    EXPECT_EQ(hw::encode(BitFormat::E4M3, INFINITY).code, 0x7Fu);
    // E5M2: IEEE-like: overflow → ±Inf, Inf and NaN codes.
    EXPECT_EQ(hw::encode(BitFormat::E5M2, 1e6).code, 0x7Cu);
    EXPECT_TRUE(std::isinf(hw::decodeValue(BitFormat::E5M2, 0x7C)));
    // The tie 57344 | 65536 goes to the even 1.00 × 2^16, past the largest finite: Inf.
    EXPECT_EQ(hw::encode(BitFormat::E5M2, 61439).code, 0x7Bu);
    EXPECT_EQ(hw::encode(BitFormat::E5M2, 61440).code, 0x7Cu);
    // FP16 overflow → Inf at max + ulp/2.
    EXPECT_EQ(hw::encode(BitFormat::Fp16, 65519.99).code, 0x7BFFu);
    EXPECT_EQ(hw::encode(BitFormat::Fp16, 65520).code, 0x7C00u);
    // FP4/FP6 have neither: saturate, and NaN/Inf are errors.
    EXPECT_EQ(hw::encode(BitFormat::E2M1, 100).value, 6);
    EXPECT_FALSE(hw::encode(BitFormat::E2M1, NAN).ok());
    EXPECT_NE(hw::encode(BitFormat::E3M2, INFINITY).error.find("has no infinity"),
              std::string::npos);
    EXPECT_EQ(hw::encode(BitFormat::Int8, 200).value, 127);
    EXPECT_EQ(hw::encode(BitFormat::Int8, 2.5).value, 2); // ties to even
    EXPECT_EQ(hw::encode(BitFormat::UInt8, -3).value, 0);
    // Underflow and negative zero.
    EXPECT_TRUE(hw::encode(BitFormat::E4M3, 1e-4).underflow);
    EXPECT_EQ(hw::encode(BitFormat::E4M3, -1e-4).code, 0x80u);
    // 3.14 in E4M3: between 2 and 4 the spacing is 0.25; 3.14 is nearer 3.25 than 3.0.
    EXPECT_EQ(hw::encode(BitFormat::E4M3, 3.14).value, 3.25);
    EXPECT_EQ(hw::encode(BitFormat::E4M3, 3.14).code, 0x45u); // 0 1000 101
    EXPECT_EQ(hw::decodeValue(BitFormat::E4M3, 0x4B), 5.5);   // 0 1001 011 = 2² × 1.375
}

TEST(BitFormats, NamesAndCodesParse) {
    EXPECT_EQ(hw::formatByName("fp8e4m3"), BitFormat::E4M3);
    EXPECT_EQ(hw::formatByName("E5M2"), BitFormat::E5M2);
    EXPECT_EQ(hw::formatByName("bf16"), BitFormat::Bf16);
    EXPECT_FALSE(hw::formatByName("fp7").has_value());
    EXPECT_EQ(hw::parseCode("0x4B"), 0x4Bu);
    EXPECT_EQ(hw::parseCode("0b0100_1011"), 0x4Bu);
    EXPECT_EQ(hw::parseCode("75"), 75u);
    EXPECT_FALSE(hw::parseCode("0xZZ").has_value());
    EXPECT_FALSE(hw::decode(BitFormat::E4M3, 0x100).ok());
    EXPECT_EQ(hw::decode(BitFormat::E4M3, 0x100).error,
              "fp8e4m3 code 256 needs more than 8 bits (expected 0 to 255)");
}
