// The course's parts and chapters (part.toml), lesson files naming them by id or by title, and the
// shipped lessons sitting in the folder of their part and chapter.
#include "lessons/course.h"
#include "lessons/lesson_loader.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace aisys::lessons;
using namespace aisys::test_support;
namespace fs = std::filesystem;

namespace {

std::string lessonText(const std::string& part, const std::string& chapter) {
    return "id = \"tiny\"\nlab = \"ring-allreduce\"\ntitle = { en = \"Tiny\", zh = \"小\" }\n" +
           part + "\n" + chapter +
           "\n[[steps]]\nphase = \"init\"\ntext = { en = \"Start.\", zh = \"开始。\" }\n";
}

/// A fresh empty folder under the temporary directory.
fs::path freshDir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

} // namespace

TEST(Course, ShippedPartsAndChaptersAreInCourseOrder) {
    const Course& c = shippedCatalog().course;
    std::vector<std::string> ids;
    for (const Part& p : c.parts)
        ids.push_back(p.id);
    EXPECT_EQ(
        ids, (std::vector<std::string>{"chips", "compiler", "inference", "framework", "training"}));
    for (const Part& p : c.parts) {
        EXPECT_FALSE(p.title.en.empty() || p.title.zh.empty()) << p.id;
        ASSERT_FALSE(p.chapters.empty()) << p.id;
        for (std::size_t i = 1; i < p.chapters.size(); ++i)
            EXPECT_LE(p.chapters[i - 1].order, p.chapters[i].order) << p.id;
    }
    ASSERT_NE(c.findPart("chips"), nullptr);
    EXPECT_EQ(c.findPart("chips")->title.zh, "AI 芯片");
    EXPECT_EQ(shippedCatalog().broken().size(), 0u);
}

TEST(Course, EveryShippedLessonSitsInTheFolderOfItsPartAndChapter) {
    const fs::path root = fs::path(AISYS_SOURCE_DIR) / "assets/lessons";
    const auto lessons = shippedCatalog().lessons();
    ASSERT_GE(lessons.size(), 25u);
    for (const Lesson* l : lessons) {
        const fs::path expected = root / l->partId / l->chapterId / (l->id + ".toml");
        EXPECT_EQ(fs::path(l->file).lexically_normal(), expected.lexically_normal()) << l->id;
        const Part* p = shippedCatalog().course.findPart(l->partId);
        ASSERT_NE(p, nullptr) << l->id;
        ASSERT_NE(p->findChapter(l->chapterId), nullptr) << l->id;
        EXPECT_EQ(l->part.en, p->title.en) << l->id;
        EXPECT_EQ(l->chapter.zh, p->findChapter(l->chapterId)->title.zh) << l->id;
    }
}

TEST(Course, LessonsNameIdsAndUnknownIdsListTheKnownOnes) {
    const Course& c = shippedCatalog().course;
    LessonLoad ok = loadLessonText(lessonText("part = \"training\"", "chapter = \"collectives\""),
                                   "t.toml", builtinLabs(), false, &c);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok.lesson->part.en, "Large-model training");
    EXPECT_EQ(ok.lesson->chapter.zh, "集合通信");

    LessonLoad badPart = loadLessonText(lessonText("part = \"trainig\"", "chapter = \"x\""),
                                        "t.toml", builtinLabs(), false, &c);
    ASSERT_FALSE(badPart.ok());
    EXPECT_EQ(badPart.errors[0].line, 4);
    EXPECT_NE(badPart.errors[0].message.find("unknown part 'trainig'"), std::string::npos);
    EXPECT_NE(badPart.errors[0].message.find("chips, compiler, inference, framework, training"),
              std::string::npos)
        << badPart.errors[0].message;

    LessonLoad badChapter = loadLessonText(lessonText("part = \"training\"", "chapter = \"coll\""),
                                           "t.toml", builtinLabs(), false, &c);
    ASSERT_FALSE(badChapter.ok());
    EXPECT_EQ(badChapter.errors[0].line, 5);
    EXPECT_NE(badChapter.errors[0].message.find("one of: collectives"), std::string::npos)
        << badChapter.errors[0].message;
}

TEST(Course, OlderFilesWithTitleTablesKeepLoadingAndGroupById) {
    const Course& c = shippedCatalog().course;
    // Known titles map to the course's ids, even with a typo in one language.
    LessonLoad known =
        loadLessonText(lessonText("part = { en = \"Large-model training\", zh = \"大模型训炼\" }",
                                  "chapter = { en = \"Collective communication\", zh = \"集合\" }"),
                       "old.toml", builtinLabs(), false, &c);
    ASSERT_TRUE(known.ok());
    EXPECT_EQ(known.lesson->partId, "training");
    EXPECT_EQ(known.lesson->chapterId, "collectives");
    EXPECT_EQ(known.lesson->part.zh, "大模型训练"); // the course's title, not the typo
    // A part the course does not know gets an id of its own and keeps its titles.
    LessonLoad custom =
        loadLessonText(lessonText("part = { en = \"My Seminar\", zh = \"我的研讨课\" }",
                                  "chapter = { en = \"Week 1\", zh = \"第一周\" }"),
                       "mine.toml", builtinLabs(), false, &c);
    ASSERT_TRUE(custom.ok());
    EXPECT_EQ(custom.lesson->partId, "my-seminar");
    EXPECT_EQ(custom.lesson->chapterId, "week-1");
    EXPECT_EQ(custom.lesson->part.zh, "我的研讨课");
    EXPECT_EQ(idFromTitle("分布式"), "e58886e5b883e5bc8f");
}

TEST(Course, BrokenPartFilesAreListedWithTheirLine) {
    std::vector<LessonError> errors;
    EXPECT_FALSE(loadPartText("id = \"p\"\ntitle = { en = \"P\" }\n", "part.toml", errors));
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].format().rfind("part.toml:2:", 0), 0u) << errors[0].format();
    errors.clear();
    EXPECT_FALSE(loadPartText("id = \"p\"\ntitle = { en = \"P\", zh = \"部\" }\n"
                              "[[chapters]]\nid = \"a\"\ntitle = { en = \"A\", zh = \"甲\" }\n"
                              "[[chapters]]\nid = \"a\"\ntitle = { en = \"B\", zh = \"乙\" }\n",
                              "part.toml", errors));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("used twice"), std::string::npos);
    EXPECT_EQ(errors[0].line, 7); // the second `id = "a"`
}

TEST(Course, AUserFolderAddsChaptersAndLessonsInSubFolders) {
    const fs::path builtin = fs::path(AISYS_SOURCE_DIR) / "assets/lessons";
    const fs::path user = freshDir("aisys-course-user");
    fs::create_directories(user / "training" / "my-week");
    std::ofstream(user / "training" / "part.toml")
        << "id = \"training\"\norder = 6\ntitle = { en = \"Large-model training\", zh = "
           "\"大模型训练\" }\n[[chapters]]\nid = \"my-week\"\norder = 6.9\ntitle = { en = \"My "
           "week\", zh = \"我的一周\" }\n";
    std::ofstream(user / "training" / "my-week" / "tiny.toml")
        << lessonText("part = \"training\"", "chapter = \"my-week\"");
    std::ofstream(user / "broken-part").flush();
    const LessonCatalog cat =
        scanLessonFolders({builtin.string(), user.string()}, builtinLabs(), false);
    const Part* training = cat.course.findPart("training");
    ASSERT_NE(training, nullptr);
    EXPECT_NE(training->findChapter("collectives"), nullptr);
    ASSERT_NE(training->findChapter("my-week"), nullptr);
    const Lesson* tiny = cat.find("tiny");
    ASSERT_NE(tiny, nullptr);
    EXPECT_TRUE(tiny->user);
    EXPECT_EQ(tiny->chapter.zh, "我的一周");
    fs::remove_all(user);
}
