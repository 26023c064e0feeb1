// GUI test (under xvfb-run): opens every lesson in the real main window, steps through every
// step, grabs the viewport's framebuffer and checks it is not blank and changes between steps.
#include "app/app_context.h"
#include "app/main_window.h"
#include "app/viewport_widget.h"
#include "engine/models/zoo.h"
#include "engine/onnx/onnx_import.h"
#include "viz/gl/gl_renderer.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

#include <cstdlib>

using namespace aisys;

namespace {

/// Fraction of sampled pixels that differ from the most common colour (the background).
double inkFraction(const QImage& img) {
    QHash<QRgb, int> counts;
    int total = 0;
    for (int y = 0; y < img.height(); y += 3)
        for (int x = 0; x < img.width(); x += 3) {
            ++counts[img.pixel(x, y)];
            ++total;
        }
    int most = 0;
    for (int c : counts)
        most = std::max(most, c);
    return total ? 1.0 - double(most) / total : 0.0;
}

/// Pixels that differ (every pixel compared; a step may change only one node's fill).
int differingPixels(const QImage& a, const QImage& b) {
    if (a.size() != b.size())
        return a.width() * a.height();
    int diff = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            diff += a.pixel(x, y) != b.pixel(x, y);
    return diff;
}

} // namespace

TEST(GuiLessons, EveryLessonEveryStepDrawsAndChanges) {
    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    ctx.reloadLessons();
    ASSERT_GE(ctx.catalog.lessons().size(), 2u);
    app::MainWindow window(ctx);
    window.resize(1280, 800);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.viewport()->setAnimationEnabled(false);
    for (lessons::Lang lang : {lessons::Lang::En, lessons::Lang::Zh}) {
        window.setLanguage(lang);
        for (const lessons::Lesson* l : ctx.catalog.lessons()) {
            SCOPED_TRACE(l->id + (lang == lessons::Lang::Zh ? " zh" : " en"));
            ASSERT_TRUE(window.openLesson(QString::fromStdString(l->id)));
            ASSERT_GT(window.frameCount(), 1);
            QImage previous;
            for (int f = 0; f < window.frameCount(); ++f) {
                window.goToFrame(f);
                ASSERT_EQ(window.frame(), f);
                QCoreApplication::processEvents();
                QImage img = window.viewport()->grabFramebuffer();
                ASSERT_FALSE(img.isNull());
                EXPECT_GT(inkFraction(img), 0.02) << "frame " << f << " looks blank";
                if (!previous.isNull()) {
                    EXPECT_GT(differingPixels(previous, img), 20)
                        << "frame " << f << " looks the same as frame " << f - 1;
                }
                previous = img;
            }
        }
    }
}

TEST(GuiLessons, KeyboardStepsLikeASlideClicker) {
    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    ctx.reloadLessons();
    app::MainWindow window(ctx);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window)) << "shortcuts need an active window";
    ASSERT_TRUE(window.openLesson("ring-allreduce"));
    window.goToFrame(0);
    window.viewport()->setFocus();
    QTest::keyClick(&window, Qt::Key_Right);
    EXPECT_EQ(window.frame(), 1);
    QTest::keyClick(&window, Qt::Key_PageDown);
    EXPECT_EQ(window.frame(), 2);
    QTest::keyClick(&window, Qt::Key_PageUp);
    EXPECT_EQ(window.frame(), 1);
    QTest::keyClick(&window, Qt::Key_End);
    EXPECT_EQ(window.frame(), window.frameCount() - 1);
    QTest::keyClick(&window, Qt::Key_Home);
    EXPECT_EQ(window.frame(), 0);
}

TEST(GuiLessons, LessonsTheLabRefusesTurnBrokenAfterTheBackgroundCheck) {
    // The GUI loads the catalog without dry runs (fast start) and checks parameter
    // combinations on a worker thread: a user lesson whose filter is larger than its input is
    // then greyed out with the step's line, and the other lessons stay.
    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    QDir().mkpath(ctx.paths.userLessonsDir);
    const QString file = ctx.paths.userLessonsDir + "/zz-refused.toml";
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("id = \"zz-refused\"\nlab = \"systolic\"\norder = 99\n"
            "title = { en = \"Refused\", zh = \"拒绝\" }\n"
            "part = { en = \"Test\", zh = \"测试\" }\nchapter = { en = \"T\", zh = \"T\" }\n"
            "[params]\nlayer = \"conv\"\nH = 3\nR = 5\n"
            "[[steps]]\nphase = \"setup\"\ntext = { en = \"x\", zh = \"x\" }\n");
    f.close();
    ctx.reloadLessons(false);
    ASSERT_NE(ctx.catalog.find("zz-refused"), nullptr); // not run yet
    const std::size_t loaded = ctx.catalog.lessons().size();
    {
        app::MainWindow window(ctx);
        window.validateLessonsInBackground();
        window.waitForLessonValidation();
        EXPECT_EQ(ctx.catalog.find("zz-refused"), nullptr);
        EXPECT_EQ(ctx.catalog.lessons().size(), loaded - 1);
        bool reported = false;
        for (const auto* b : ctx.catalog.broken())
            for (const auto& e : b->errors)
                reported |= e.format().find("zz-refused.toml:11:") != std::string::npos &&
                            e.message.find("larger than") != std::string::npos;
        EXPECT_TRUE(reported) << (ctx.catalog.broken().empty()
                                      ? std::string("no broken entry")
                                      : ctx.catalog.broken().back()->errors.at(0).format());
    }
    QFile::remove(file);
}

TEST(GuiLessons, OptimizeModelStepsThroughThePassesThatChangedIt) {
    // File ▸ Optimize Model: the O3 pipeline on a model file, one step per pass that changed
    // it; a file that is not a model is refused with a message and nothing is added.
    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    ctx.reloadLessons();
    app::MainWindow window(ctx);
    window.resize(1280, 800);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.viewport()->setAnimationEnabled(false);
    const std::size_t before = ctx.catalog.lessons().size();
    EXPECT_FALSE(window.optimizeModel(QStringLiteral(AISYS_SOURCE_DIR "/README.md")));
    EXPECT_EQ(ctx.catalog.lessons().size(), before);
    ASSERT_TRUE(
        window.optimizeModel(QStringLiteral(AISYS_SOURCE_DIR "/assets/models/mobile_block.onnx")));
    EXPECT_EQ(ctx.catalog.lessons().size(), before + 1);
    EXPECT_TRUE(window.lessonId().startsWith(QStringLiteral("model-opt:")));
    // The input graph and at least one pass (mobile_block has BatchNorms to fold).
    ASSERT_GT(window.frameCount(), 2);
    const QImage first = window.viewport()->grabFramebuffer();
    QTest::keyClick(&window, Qt::Key_End);
    QCoreApplication::processEvents();
    const QImage last = window.viewport()->grabFramebuffer();
    EXPECT_NE(first, last);
}

TEST(GuiLessons, OpenModelRunsItAndHoverShowsTensorValues) {
    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    ctx.reloadLessons();
    app::MainWindow window(ctx);
    window.resize(1280, 800);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.viewport()->setAnimationEnabled(false);
    EXPECT_FALSE(window.openModel(QStringLiteral(AISYS_SOURCE_DIR "/README.md")));
    ASSERT_TRUE(window.openModel(QStringLiteral(AISYS_SOURCE_DIR "/assets/models/tiny_cnn.onnx")));
    EXPECT_EQ(window.frameCount(), 11); // the graph, then 10 nodes
    window.goToFrame(window.frameCount() - 1);
    QCoreApplication::processEvents();
    (void)window.viewport()->grabFramebuffer(); // lay out and fit

    // Hover the edge carrying the first convolution's output: the inspector gets its values.
    const viz::Scene& scene = window.viewport()->scene();
    std::uint32_t edge = 0;
    for (const auto& [id, info] : scene.objects)
        if (info.title.find("c1") != std::string::npos && !info.histogram.empty())
            edge = id;
    ASSERT_NE(edge, 0u) << "no value plots for the conv1 output";
    EXPECT_GT(scene.objects.at(edge).heatRows, 0);
    viz::Vec2 at{};
    for (const auto& p : scene.list.prims)
        if (p.id == edge && p.kind == viz::PrimKind::Text)
            at = p.pts[0];
    const viz::Camera& cam = window.viewport()->camera();
    const viz::Vec2 size{float(window.viewport()->width()), float(window.viewport()->height())};
    viz::Vec2 v = cam.toView({at.x + 20, at.y}, size);
    quint32 hovered = 0;
    QObject::connect(window.viewport(), &app::ViewportWidget::hoveredChanged,
                     [&](quint32 id) { hovered = id; });
    QTest::mouseMove(window.viewport(), QPoint(int(v.x), int(v.y)));
    QCoreApplication::processEvents();
    EXPECT_EQ(hovered, edge);
    QImage shot = window.viewport()->grabFramebuffer();
    if (const char* dump = std::getenv("AISYS_GUI_DUMP"))
        shot.save(QString::fromUtf8(dump) + "/hover.png");
}

TEST(GuiLessons, ALargeModelOpensReadableAtItsInputsAndFindsNodes) {
    // A 134-node transformer: the first view is its top at a readable zoom (not the whole
    // column squeezed), F shows the whole, and the find box brings a node into view.
    QTemporaryDir dir;
    const QString model = dir.filePath("transformer.onnx");
    engine::exportOnnxFile(engine::models::smallTransformer(64, 128, 4, 4), model.toStdString());
    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    ctx.reloadLessons();
    app::MainWindow window(ctx);
    window.resize(1280, 800);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.viewport()->setAnimationEnabled(false);
    ASSERT_TRUE(window.openModel(model));
    QCoreApplication::processEvents();
    (void)window.viewport()->grabFramebuffer(); // lay out and fit
    const viz::Scene& scene = window.viewport()->scene();
    ASSERT_FALSE(scene.focus.empty());
    const float opened = window.viewport()->camera().zoom;
    EXPECT_GE(opened, 0.4f) << "the first view should be readable";
    QTest::keyClick(window.viewport(), Qt::Key_F);
    QCoreApplication::processEvents();
    (void)window.viewport()->grabFramebuffer();
    const float whole = window.viewport()->camera().zoom;
    EXPECT_LT(whole, opened * 0.5f) << "F shows the whole column";
    window.viewport()->find("softmax", false);
    const quint32 found = window.viewport()->foundObject();
    ASSERT_NE(found, 0u);
    EXPECT_NE(scene.objects.at(found).title.find("Softmax"), std::string::npos);
    viz::Rect box;
    for (const auto& p : scene.list.prims)
        if (p.id == found && p.kind == viz::PrimKind::Box)
            box = p.rect;
    const viz::Vec2 c = window.viewport()->camera().center;
    EXPECT_NEAR(c.x, box.x + box.w / 2, 1.0f);
    EXPECT_NEAR(c.y, box.y + box.h / 2, 1.0f);
    EXPECT_GE(window.viewport()->camera().zoom, 1.0f);
    // Enter: the next match (4 layers, 4 Softmax nodes), then around again.
    window.viewport()->find("softmax", true);
    EXPECT_NE(window.viewport()->foundObject(), found);
    window.viewport()->find("no such op", false);
    EXPECT_EQ(window.viewport()->foundObject(), 0u);
}

int main(int argc, char** argv) {
    QStandardPaths::setTestModeEnabled(true); // keep the user's settings and data untouched
    QSurfaceFormat::setDefaultFormat(viz::GlRenderer::surfaceFormat());
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
