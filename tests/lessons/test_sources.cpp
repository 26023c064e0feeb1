// Lesson sources: [[sources]] tables load, every [^id] marker must name one (file:line when it
// does not), both languages cite the same, and the footnoted Markdown the narrative shows.
#include "lessons/footnotes.h"
#include "lessons/lesson_loader.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

const char* kCited = R"(id = "cited"
lab = "ring-allreduce"
order = 1.0
title = { en = "Cited", zh = "有出处" }
part = "training"
chapter = "collectives"
[[steps]]
phase = "reduce-scatter"
text = { en = "A ring is bandwidth-optimal[^py09].", zh = "环形是带宽最优的[^py09]。" }
[[steps]]
phase = "done"
[steps.text]
en = "NCCL uses rings[^nccl] and trees[^nccl]; see also[^py09]."
zh = "NCCL 使用环[^nccl]和树[^nccl]；另见[^py09]。"

[[sources]]
id = "py09"
text = "Patarasuk & Yuan, J. Parallel Distrib. Comput. 69(2), 2009, §3"
url = "https://doi.org/10.1016/j.jpdc.2008.09.002"

[[sources]]
id = "nccl"
text = "NVIDIA NCCL, src/graph/rings.cc"
)";

std::string withReplaced(std::string s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    if (pos != std::string::npos)
        s.replace(pos, from.size(), to);
    return s;
}

LessonLoad load(const std::string& text) {
    return loadLessonText(text, "cited.toml", builtinLabs(), false, &shippedCatalog().course);
}

std::string messages(const LessonLoad& l) {
    std::string out;
    for (const auto& e : l.errors)
        out += e.format() + "\n";
    return out;
}

} // namespace

TEST(LessonSources, SourcesLoadWithTheirIdsTextsAndUrls) {
    LessonLoad l = load(kCited);
    ASSERT_TRUE(l.ok()) << messages(l);
    ASSERT_EQ(l.lesson->sources.size(), 2u);
    EXPECT_EQ(l.lesson->sources[0].id, "py09");
    EXPECT_EQ(l.lesson->sources[0].url, "https://doi.org/10.1016/j.jpdc.2008.09.002");
    EXPECT_EQ(l.lesson->sources[1].text, "NVIDIA NCCL, src/graph/rings.cc");
    EXPECT_TRUE(l.lesson->sources[1].url.empty());
    EXPECT_EQ(l.lesson->sources[0].line, 16);
}

TEST(LessonSources, UnknownMarkerIsAnErrorAtTheLineOfTheText) {
    LessonLoad l = load(withReplaced(kCited, "trees[^nccl]", "trees[^nccl2]"));
    ASSERT_FALSE(l.ok());
    ASSERT_EQ(l.errors.size(), 2u) << messages(l); // unknown, and the languages now differ
    EXPECT_EQ(l.errors[0].file, "cited.toml");
    EXPECT_EQ(l.errors[0].line, 13); // the line of `en = ...` in step 2
    EXPECT_NE(l.errors[0].message.find("step 2: unknown source [^nccl2]"), std::string::npos)
        << l.errors[0].message;
}

TEST(LessonSources, BothLanguagesMustCiteTheSameSources) {
    LessonLoad l = load(withReplaced(kCited, "环形是带宽最优的[^py09]", "环形是带宽最优的"));
    ASSERT_FALSE(l.ok());
    ASSERT_EQ(l.errors.size(), 1u) << messages(l);
    EXPECT_EQ(l.errors[0].line, 9);
    EXPECT_NE(l.errors[0].message.find("step 1: the English cites [^py09] but the Chinese does"),
              std::string::npos)
        << l.errors[0].message;
}

TEST(LessonSources, MalformedSourceTablesAreCaught) {
    const std::string twice = std::string(kCited) + "\n[[sources]]\nid = \"py09\"\ntext = \"x\"\n";
    EXPECT_NE(messages(load(twice)).find("id 'py09' is listed twice"), std::string::npos);
    const std::string noText =
        withReplaced(kCited, "text = \"NVIDIA NCCL, src/graph/rings.cc\"\n", "");
    EXPECT_NE(messages(load(noText)).find("'text' must be the citation"), std::string::npos);
    const std::string badUrl =
        withReplaced(kCited, "https://doi.org/10.1016/j.jpdc.2008.09.002", "doi:10.1016");
    EXPECT_NE(messages(load(badUrl)).find("'url' must be an http(s):// address"),
              std::string::npos);
    const std::string unknownKey = withReplaced(kCited, "id = \"nccl\"", "id = \"nccl\"\npage = 3");
    EXPECT_NE(messages(load(unknownKey)).find("unknown key"), std::string::npos)
        << messages(load(unknownKey));
    const std::string notArray = std::string(R"(id = "x"
lab = "ring-allreduce"
title = { en = "X", zh = "X" }
part = "training"
chapter = "collectives"
sources = "Jouppi 2017"
[[steps]]
text = { en = "a", zh = "a" }
)");
    EXPECT_NE(messages(load(notArray)).find("'sources' is a string: expected an array of tables"),
              std::string::npos)
        << messages(load(notArray));
}

TEST(LessonSources, MarkersAreFoundOnlyWithAnIdAndAClosingBracket) {
    const auto m = sourceMarkers("a[^x1] b[^] c[^y d[^z.2-w_3]e [^ok]");
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].id, "x1");
    EXPECT_EQ(m[0].pos, 1u);
    EXPECT_EQ(m[0].length, 5u);
    EXPECT_EQ(m[1].id, "z.2-w_3");
    EXPECT_EQ(m[2].id, "ok");
    EXPECT_TRUE(sourceMarkers("x[i] = y^2, [a](b)").empty());
}

TEST(LessonSources, FootnotesAreNumberedByFirstUseAndListedAtTheEnd) {
    LessonLoad l = load(kCited);
    ASSERT_TRUE(l.ok()) << messages(l);
    const auto& src = l.lesson->sources;
    EXPECT_EQ(markdownWithFootnotes(l.lesson->steps[1].text.en, src, Lang::En),
              "NCCL uses rings[1] and trees[1]; see also[2].\n\n---\n\n**Sources**\n\n"
              "1. NVIDIA NCCL, src/graph/rings.cc\n"
              "2. Patarasuk & Yuan, J. Parallel Distrib. Comput. 69(2), 2009, §3 — "
              "<https://doi.org/10.1016/j.jpdc.2008.09.002>\n");
    const std::string zh = markdownWithFootnotes(l.lesson->steps[0].text.zh, src, Lang::Zh);
    EXPECT_EQ(zh.rfind("环形是带宽最优的[1]。\n\n---\n\n**来源**\n\n1. Patarasuk", 0), 0u) << zh;
    EXPECT_EQ(markdownWithFootnotes("No claims here.\n", src, Lang::En), "No claims here.\n");
    EXPECT_EQ(markdownWithFootnotes("Kept [^nope].", src, Lang::En), "Kept [^nope].");
    const std::string all = sourcesMarkdown(src, Lang::En);
    EXPECT_EQ(all.rfind("**Sources**\n\n- Patarasuk", 0), 0u) << all;
    EXPECT_NE(all.find("- NVIDIA NCCL, src/graph/rings.cc\n"), std::string::npos);
    EXPECT_TRUE(sourcesMarkdown({}, Lang::En).empty());
}
