// Soft line breaks in Chinese Markdown: joined between CJK characters, kept everywhere else; the
// shipped lessons keep none after joining.
#include "lessons/markdown.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

using aisys::lessons::joinCjkSoftBreaks;

namespace {

/// Whether `s` still has "CJK, newline (and indentation), CJK" outside fenced code.
bool hasCjkSoftBreak(const std::string& s) {
    return joinCjkSoftBreaks(s) != s;
}

} // namespace

TEST(CjkSoftBreaks, JoinedBetweenChineseCharactersOnly) {
    EXPECT_EQ(joinCjkSoftBreaks("沿对角线\n穿过"), "沿对角线穿过");
    EXPECT_EQ(joinCjkSoftBreaks("来回\n  查看；"), "来回查看；");     // indentation dropped
    EXPECT_EQ(joinCjkSoftBreaks("结束。\n下一句"), "结束。下一句");   // CJK punctuation
    EXPECT_EQ(joinCjkSoftBreaks("（见下）\n图"), "（见下）图");       // full-width forms
    EXPECT_EQ(joinCjkSoftBreaks("使用\nGPU 训练"), "使用\nGPU 训练"); // Latin after: a space
    EXPECT_EQ(joinCjkSoftBreaks("the GPU\n训练"), "the GPU\n训练");   // Latin before
    EXPECT_EQ(joinCjkSoftBreaks("English\ntext"), "English\ntext");
    EXPECT_EQ(joinCjkSoftBreaks("第一段\n\n第二段"), "第一段\n\n第二段"); // a paragraph break
    EXPECT_EQ(joinCjkSoftBreaks("硬换行  \n下一行"), "硬换行  \n下一行"); // hard break
    EXPECT_EQ(joinCjkSoftBreaks("硬换行\\\n下一行"), "硬换行\\\n下一行");
    EXPECT_EQ(joinCjkSoftBreaks("列表：\n- 第一项\n- 第二项"), "列表：\n- 第一项\n- 第二项");
    EXPECT_EQ(joinCjkSoftBreaks("说明\n1. 第一步"), "说明\n1. 第一步");
    EXPECT_EQ(joinCjkSoftBreaks("说明\n# 标题"), "说明\n# 标题");
    EXPECT_EQ(joinCjkSoftBreaks("```\n代码\n代码\n```"), "```\n代码\n代码\n```"); // fenced code
    EXPECT_EQ(joinCjkSoftBreaks("**粗体**\n文字"), "**粗体**\n文字"); // '*' is not CJK: kept
    EXPECT_EQ(joinCjkSoftBreaks("日本語の\nテキスト"), "日本語のテキスト");
    EXPECT_EQ(joinCjkSoftBreaks("한국어\n문장"), "한국어\n문장"); // Korean spaces its words
    EXPECT_EQ(joinCjkSoftBreaks(""), "");
    EXPECT_EQ(joinCjkSoftBreaks("甲\n乙\n丙"), "甲乙丙");
}

TEST(CjkSoftBreaks, ShippedLessonsHaveSuchBreaksAndNoneSurviveJoining) {
    int breaks = 0, lessons = 0;
    for (const auto* l : aisys::test_support::shippedCatalog().lessons()) {
        ++lessons;
        std::vector<std::string> texts{l->summary.zh};
        for (const auto& s : l->steps)
            texts.push_back(s.text.zh);
        for (const auto& t : texts) {
            breaks += hasCjkSoftBreak(t);
            EXPECT_FALSE(hasCjkSoftBreak(joinCjkSoftBreaks(t))) << l->id;
            // Joining only removes newlines and indentation, never a character of text.
            const std::string j = joinCjkSoftBreaks(t);
            std::string a, b;
            for (char c : t)
                if (c != '\n' && c != ' ')
                    a += c;
            for (char c : j)
                if (c != '\n' && c != ' ')
                    b += c;
            EXPECT_EQ(a, b) << l->id;
        }
    }
    EXPECT_GE(lessons, 25);
    // The lesson files wrap Chinese lines between characters (systolic-dataflows: 沿对角线/穿过).
    EXPECT_GT(breaks, 20);
    const auto& df = aisys::test_support::shippedLesson("systolic-dataflows");
    bool found = false;
    for (const auto& s : df.steps)
        found |= joinCjkSoftBreaks(s.text.zh).find("沿对角线穿过") != std::string::npos;
    EXPECT_TRUE(found);
}
