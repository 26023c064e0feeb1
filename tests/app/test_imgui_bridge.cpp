// GUI tests of the viewport's ImGui bridge: panel input never pans, empty space does, shortcuts.
#include "app/viewport_widget.h"
#include "viz/gl/gl_renderer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QShortcut>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTest>
#include <gtest/gtest.h>

using namespace aisys;

namespace {

viz::Scene sampleScene() {
    viz::Scene s;
    for (int i = 0; i < 6; ++i)
        s.list.box({float(i) * 120, 0, 100, 60}, viz::Color::rgb(0xdbeafe),
                   viz::Color::rgb(0x2563eb), 6, 1.5f, std::uint32_t(i + 1));
    s.list.text({10, 80}, "你好 hello", viz::Color::rgb(0x222222), 14);
    s.caption = "caption";
    return s;
}

lessons::ParamSpec intSpec() {
    lessons::ParamSpec spec;
    spec.name = "size";
    spec.type = lessons::ParamType::Int;
    spec.label = {"Array size", "阵列大小"};
    spec.min = 0;
    spec.max = 100;
    spec.def = std::int64_t(50);
    return spec;
}

/// Processes events until `n` more frames were painted (or a timeout).
bool waitFrames(app::ViewportWidget& w, int n = 1) {
    const int target = w.framesPainted() + n;
    QElapsedTimer clock;
    clock.start();
    while (w.framesPainted() < target && clock.elapsed() < 5000) {
        w.update();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return w.framesPainted() >= target;
}

void send(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button,
          Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, mods);
    QCoreApplication::sendEvent(w, &e);
}

/// Press at `from`, move in steps to `to`, release — painting a frame after every event.
void drag(app::ViewportWidget& w, QPointF from, QPointF to) {
    send(&w, QEvent::MouseMove, from, Qt::NoButton, Qt::NoButton);
    waitFrames(w);
    send(&w, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    waitFrames(w);
    for (int i = 1; i <= 5; ++i) {
        send(&w, QEvent::MouseMove, from + (to - from) * (i / 5.0), Qt::NoButton, Qt::LeftButton);
        waitFrames(w);
    }
    send(&w, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
    waitFrames(w);
}

class ViewportFixture : public ::testing::Test {
protected:
    void SetUp() override {
        window.resize(900, 600);
        viewport = new app::ViewportWidget(&window);
        window.setCentralWidget(viewport);
        viewport->setAnimationEnabled(false);
        lessons::ParamSet values;
        values.set("size", std::int64_t(50));
        viewport->setParamPanel({intSpec()}, values);
        viewport->setScene(sampleScene(), false);
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        ASSERT_TRUE(waitFrames(*viewport, 2));
        waitFrames(*viewport, 1); // the panel rectangles exist after a full frame
    }
    QMainWindow window;
    app::ViewportWidget* viewport = nullptr;
};

} // namespace

TEST_F(ViewportFixture, SliderDragEditsParamAndDoesNotPan) {
    const QRectF slider = viewport->paramWidgetRect("size");
    ASSERT_FALSE(slider.isEmpty()) << "the parameter panel did not record the slider";
    QSignalSpy edited(viewport, &app::ViewportWidget::paramEdited);
    const viz::Camera before = viewport->camera();

    const double y = slider.center().y();
    drag(*viewport, {slider.left() + slider.width() * 0.5, y},
         {slider.left() + slider.width() * 0.9, y});

    ASSERT_GE(edited.count(), 1);
    const auto last = edited.last();
    EXPECT_EQ(last.at(0).value<std::string>(), "size");
    const auto value = last.at(1).value<lessons::ParamValue>();
    ASSERT_TRUE(std::holds_alternative<std::int64_t>(value));
    EXPECT_GT(std::get<std::int64_t>(value), 70);
    EXPECT_EQ(viewport->camera().center, before.center);
    EXPECT_EQ(viewport->camera().zoom, before.zoom);
}

TEST_F(ViewportFixture, DragOnEmptySpacePans) {
    const viz::Camera before = viewport->camera();
    QSignalSpy edited(viewport, &app::ViewportWidget::paramEdited);
    const QPointF from(viewport->width() * 0.6, viewport->height() * 0.8);
    drag(*viewport, from, from + QPointF(-100, -40));
    EXPECT_EQ(edited.count(), 0);
    EXPECT_NEAR(viewport->camera().center.x, before.center.x + 100 / before.zoom, 1e-3);
    EXPECT_NEAR(viewport->camera().center.y, before.center.y + 40 / before.zoom, 1e-3);
}

TEST_F(ViewportFixture, WindowShortcutDoesNotFireWhileImGuiHasTheKeyboard) {
    int fired = 0;
    QShortcut shortcut(QKeySequence(Qt::Key_Right), &window);
    QObject::connect(&shortcut, &QShortcut::activated, [&] { ++fired; });
    // Shortcuts need an active window (xvfb has no window manager to activate it).
    window.activateWindow();
    if (!QTest::qWaitForWindowActive(&window))
        GTEST_SKIP() << "the window could not be activated, so no shortcut can fire here";
    viewport->setFocus();
    QCoreApplication::processEvents();

    // Without ImGui focus the window shortcut works.
    QTest::keyClick(viewport, Qt::Key_Right);
    EXPECT_EQ(fired, 1);

    // Ctrl+click turns the slider into a text field that keeps the keyboard.
    const QRectF slider = viewport->paramWidgetRect("size");
    ASSERT_FALSE(slider.isEmpty());
    const QPointF at = slider.center();
    send(viewport, QEvent::MouseMove, at, Qt::NoButton, Qt::NoButton);
    waitFrames(*viewport);
    send(viewport, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton,
         Qt::ControlModifier);
    waitFrames(*viewport);
    send(viewport, QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton,
         Qt::ControlModifier);
    waitFrames(*viewport, 2);
    ASSERT_TRUE(viewport->imguiWantsKeyboard());

    QTest::keyClick(viewport, Qt::Key_Right);
    waitFrames(*viewport);
    EXPECT_EQ(fired, 1) << "the shortcut fired while ImGui had keyboard focus";
    const viz::Camera before = viewport->camera();
    QTest::keyClick(viewport, Qt::Key_F); // typed into the field, not "fit"
    waitFrames(*viewport);
    EXPECT_EQ(viewport->camera().zoom, before.zoom);
}

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(viz::GlRenderer::surfaceFormat());
    QApplication app(argc, argv);
    qRegisterMetaType<std::string>("std::string");
    qRegisterMetaType<lessons::ParamValue>("lessons::ParamValue");
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
