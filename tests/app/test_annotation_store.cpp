// Annotation store: strokes survive a reload, writes are atomic, a corrupt file is kept aside.
#include "app/annotation_store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace aisys;

TEST(AnnotationStore, StrokesSurviveARestart) {
    QTemporaryDir dir;
    {
        app::AnnotationStore store(dir.path());
        EXPECT_EQ(store.load("ring-allreduce"), "");
        viz::Stroke s;
        s.pts = {{1, 2}, {3, 4}, {5, 6}};
        s.width = 4;
        EXPECT_EQ(store.setStrokes(3, {s}), "");
    }
    app::AnnotationStore again(dir.path());
    EXPECT_EQ(again.load("ring-allreduce"), "");
    auto strokes = again.strokes(3);
    ASSERT_EQ(strokes.size(), 1u);
    ASSERT_EQ(strokes[0].pts.size(), 3u);
    EXPECT_FLOAT_EQ(strokes[0].pts[2].x, 5);
    EXPECT_FLOAT_EQ(strokes[0].width, 4);
    EXPECT_TRUE(again.strokes(2).empty());
    // No temporary files are left behind.
    QStringList files = QDir(dir.filePath("annotations")).entryList(QDir::Files);
    EXPECT_EQ(files, QStringList{"ring-allreduce.json"});
}

TEST(AnnotationStore, CorruptFileIsBackedUpNotLost) {
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath("annotations"));
    QFile f(dir.filePath("annotations/x.json"));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("{ this is not json");
    f.close();
    app::AnnotationStore store(dir.path());
    QString msg = store.load("x");
    EXPECT_FALSE(msg.isEmpty());
    EXPECT_TRUE(store.strokes(0).empty());
    QStringList backups = QDir(dir.filePath("annotations")).entryList({"x.json.corrupt-*"});
    ASSERT_EQ(backups.size(), 1);
    QFile b(dir.filePath("annotations/" + backups[0]));
    ASSERT_TRUE(b.open(QIODevice::ReadOnly));
    EXPECT_EQ(b.readAll(), QByteArray("{ this is not json"));
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
