// Lesson loader: the shipped lessons load; each kind of malformed file gives its precise
// message (file:line, what is wrong, what was expected) while the other lessons still load.
#include "lessons/lesson_loader.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace aisys::lessons;
using namespace aisys::test_support;
namespace fs = std::filesystem;

namespace {

const char* kGood = R"(id = "tiny"
lab = "ring-allreduce"
order = 1.0
title = { en = "Tiny", zh = "小" }
part = { en = "P", zh = "部分" }
chapter = { en = "C", zh = "章" }
[params]
ranks = 3
[[steps]]
phase = "reduce-scatter"
text = { en = "Reduce.", zh = "归约。" }
)";

std::string withReplaced(std::string s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    if (pos != std::string::npos)
        s.replace(pos, from.size(), to);
    return s;
}

LessonError onlyError(const LessonLoad& l) {
    EXPECT_FALSE(l.ok());
    EXPECT_EQ(l.errors.size(), 1u);
    for (const auto& e : l.errors)
        std::cerr << "  " << e.format() << "\n";
    return l.errors.empty() ? LessonError{} : l.errors[0];
}

} // namespace

TEST(LessonLoader, ShippedLessonsLoad) {
    auto cat =
        scanLessonFolders({std::string(AISYS_SOURCE_DIR) + "/assets/lessons"}, builtinLabs());
    for (const auto* b : cat.broken())
        for (const auto& e : b->errors)
            ADD_FAILURE() << e.format();
    ASSERT_NE(cat.find("graph-forward"), nullptr);
    ASSERT_NE(cat.find("ring-allreduce"), nullptr);
    const Lesson* ring = cat.find("ring-allreduce");
    EXPECT_EQ(ring->title.zh, "4 卡环形 All-Reduce");
    EXPECT_EQ(ring->params.getInt("ranks"), 4);
    for (const auto* l : cat.lessons())
        for (const auto& s : l->steps) {
            EXPECT_FALSE(s.text.en.empty()) << l->id;
            EXPECT_FALSE(s.text.zh.empty()) << l->id;
        }
}

TEST(LessonLoader, GoodTextLoads) {
    LessonLoad l = loadLessonText(kGood, "tiny.toml", builtinLabs());
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l.lesson->id, "tiny");
    EXPECT_EQ(l.lesson->params.getInt("ranks"), 3);
    EXPECT_EQ(l.lesson->params.getInt("length"), 8); // Lab default
    ASSERT_EQ(l.lesson->steps.size(), 1u);
    EXPECT_EQ(l.lesson->steps[0].line, 9);
}

TEST(LessonLoader, BadTomlGivesSyntaxErrorWithLine) {
    std::string bad = withReplaced(kGood, "ranks = 3", "ranks = = 3");
    LessonError e = onlyError(loadLessonText(bad, "bad.toml", builtinLabs()));
    EXPECT_EQ(e.file, "bad.toml");
    EXPECT_EQ(e.line, 8);
    EXPECT_NE(e.message.find("TOML syntax error"), std::string::npos) << e.message;
    EXPECT_EQ(e.format().rfind("bad.toml:8:", 0), 0u) << e.format();
}

TEST(LessonLoader, UnknownLabListsTheKnownOnes) {
    std::string bad = withReplaced(kGood, "lab = \"ring-allreduce\"", "lab = \"ring-all-reduce\"");
    LessonError e = onlyError(loadLessonText(bad, "lab.toml", builtinLabs()));
    EXPECT_EQ(e.line, 2);
    EXPECT_NE(e.message.find("unknown Lab 'ring-all-reduce'"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("graph-forward"), std::string::npos) << e.message;
}

TEST(LessonLoader, MissingStepTextNamesTheStepAndLanguage) {
    std::string bad = withReplaced(kGood, "text = { en = \"Reduce.\", zh = \"归约。\" }",
                                   "text = { en = \"Reduce.\" }");
    LessonError e = onlyError(loadLessonText(bad, "text.toml", builtinLabs()));
    EXPECT_EQ(e.line, 11);
    EXPECT_NE(e.message.find("missing 'text.zh' in step 1"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("Chinese"), std::string::npos) << e.message;

    std::string none = withReplaced(kGood, "text = { en = \"Reduce.\", zh = \"归约。\" }\n", "");
    LessonError e2 = onlyError(loadLessonText(none, "none.toml", builtinLabs()));
    EXPECT_EQ(e2.line, 9);
    EXPECT_NE(e2.message.find("missing 'text' in step 1"), std::string::npos) << e2.message;
}

TEST(LessonLoader, WrongParameterTypeSaysWhatWasExpected) {
    std::string bad = withReplaced(kGood, "ranks = 3", "ranks = \"three\"");
    LessonError e = onlyError(loadLessonText(bad, "type.toml", builtinLabs()));
    EXPECT_EQ(e.line, 8);
    EXPECT_NE(e.message.find("parameter 'ranks'"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("expected an integer from 2 to 16"), std::string::npos) << e.message;

    std::string range = withReplaced(kGood, "ranks = 3", "ranks = 40");
    LessonError e2 = onlyError(loadLessonText(range, "range.toml", builtinLabs()));
    EXPECT_NE(e2.message.find("40 is out of range"), std::string::npos) << e2.message;
}

TEST(LessonLoader, UnknownKeysPhasesAndParametersAreCaught) {
    LessonError e = onlyError(loadLessonText(withReplaced(kGood, "order = 1.0", "ordre = 1.0"),
                                             "key.toml", builtinLabs()));
    EXPECT_NE(e.message.find("unknown key 'ordre'"), std::string::npos) << e.message;
    e = onlyError(
        loadLessonText(withReplaced(kGood, "phase = \"reduce-scatter\"", "phase = \"scatter\""),
                       "ph.toml", builtinLabs()));
    EXPECT_NE(e.message.find("unknown phase 'scatter'"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("all-gather"), std::string::npos) << e.message;
    e = onlyError(
        loadLessonText(withReplaced(kGood, "ranks = 3", "gpus = 3"), "param.toml", builtinLabs()));
    EXPECT_NE(e.message.find("unknown parameter 'gpus'"), std::string::npos) << e.message;
}

TEST(LessonLoader, BrokenFilesNeverHideTheOthers) {
    fs::path dir = fs::temp_directory_path() / "aisys-loader-test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
    };
    write("a-good.toml", kGood);
    write("b-syntax.toml", "id = \"x\"\n[[steps]\n");
    write("c-lab.toml", withReplaced(kGood, "ring-allreduce", "nope"));
    write("d-empty.toml", "");
    write("notes.txt", "not a lesson");
    auto cat = scanLessonFolders({dir.string()}, builtinLabs());
    EXPECT_EQ(cat.lessons().size(), 1u);
    EXPECT_NE(cat.find("tiny"), nullptr);
    EXPECT_EQ(cat.broken().size(), 3u);
    for (const auto* b : cat.broken()) {
        ASSERT_FALSE(b->errors.empty());
        EXPECT_NE(b->errors[0].format().find(b->file), std::string::npos);
    }
    fs::remove_all(dir);
}

TEST(LessonLoader, UserFolderOverridesBuiltinById) {
    fs::path a = fs::temp_directory_path() / "aisys-ovr-a",
             b = fs::temp_directory_path() / "aisys-ovr-b";
    fs::remove_all(a);
    fs::remove_all(b);
    fs::create_directories(a);
    fs::create_directories(b);
    std::ofstream(a / "t.toml") << kGood;
    std::ofstream(b / "t.toml") << withReplaced(kGood, "en = \"Tiny\"", "en = \"Edited\"");
    auto cat = scanLessonFolders({a.string(), b.string()}, builtinLabs());
    ASSERT_EQ(cat.lessons().size(), 1u);
    EXPECT_EQ(cat.find("tiny")->title.en, "Edited");
    EXPECT_TRUE(cat.find("tiny")->user);
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST(LessonLoader, AtomicWriteReplacesWholeFile) {
    fs::path p = fs::temp_directory_path() / "aisys-atomic.toml";
    ASSERT_EQ(writeFileAtomically(p.string(), "first"), "");
    ASSERT_EQ(writeFileAtomically(p.string(), "second version"), "");
    std::ifstream in(p);
    std::string s((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(s, "second version");
    for (const auto& e : fs::directory_iterator(p.parent_path()))
        EXPECT_EQ(e.path().filename().string().find("aisys-atomic.toml.tmp"), std::string::npos);
    EXPECT_NE(writeFileAtomically("/nonexistent-dir/x.toml", "x"), "");
    fs::remove(p);
}

TEST(LessonLoader, ReadmeExampleIsAValidLesson) {
    std::ifstream in(std::string(AISYS_SOURCE_DIR) + "/README.md");
    std::string readme((std::istreambuf_iterator<char>(in)), {});
    auto begin = readme.find("```toml\n");
    ASSERT_NE(begin, std::string::npos);
    begin += 8;
    auto end = readme.find("```", begin);
    LessonLoad l = loadLessonText(readme.substr(begin, end - begin), "README.md", builtinLabs(),
                                  true, &shippedCatalog().course);
    for (const auto& e : l.errors)
        ADD_FAILURE() << e.format();
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l.lesson->params.getInt("ranks"), 8);
    EXPECT_EQ(l.lesson->steps[1].set.getInt("ranks"), 4);
}
