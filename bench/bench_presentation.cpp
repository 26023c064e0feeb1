// Presentation mode measured on the screen it runs on (run it under Xvfb at 1024×768, 1280×720
// and 1920×1080: bench/presentation.sh): for every frame of every lesson, how much of the space
// above the narrative the picture fills and how large its text is; with --contact-sheet DIR, a
// sheet of every step of every lesson as presented, per language.
#include "app/app_context.h"
#include "app/main_window.h"
#include "app/presentation_strip.h"
#include "app/viewport_widget.h"
#include "viz/export/painter_renderer.h"
#include "viz/gl/gl_renderer.h"

#include <QApplication>
#include <QDir>
#include <QPainter>
#include <QScreen>
#include <QSurfaceFormat>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using namespace aisys;

namespace {

struct FrameFigures {
    std::string where;
    double fill = 0;       ///< the larger of width and height covered, over the free area
    double area = 0;       ///< area covered, over the space above the narrative
    double minText = 0;    ///< smallest text in the view, logical pixels
    double smallShare = 0; ///< share of the view's text below the threshold
};

void pump() {
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
}

FrameFigures measure(app::MainWindow& w, double threshold) {
    FrameFigures f;
    app::ViewportWidget* vp = w.viewport();
    const viz::Scene& scene = vp->scene();
    const viz::Camera& cam = vp->camera();
    const viz::Vec2 view{float(vp->width()), float(vp->height())};
    viz::Rect b = viz::measuredBounds(scene.list);
    if (!scene.focus.empty())
        b = scene.focus;
    const viz::Vec2 a = cam.toView({b.x, b.y}, view), c = cam.toView({b.x + b.w, b.y + b.h}, view);
    const double x0 = std::max(0.0, double(a.x)), x1 = std::min(double(view.x), double(c.x));
    const double y0 = std::max(0.0, double(a.y)), y1 = std::min(double(view.y), double(c.y));
    const double cw = std::max(0.0, x1 - x0), ch = std::max(0.0, y1 - y0);
    f.area = cw * ch / (double(view.x) * view.y);
    f.fill = std::max(cw / view.x, ch / view.y);
    int texts = 0, small = 0;
    f.minText = 1e9;
    for (const viz::Prim& p : scene.list.prims) {
        if (p.kind != viz::PrimKind::Text || p.text.empty() || p.pts.empty())
            continue;
        const viz::Vec2 q = cam.toView(p.pts[0], view);
        if (q.x < 0 || q.y < 0 || q.x > view.x || q.y > view.y)
            continue;
        const double px = p.fontSize * cam.zoom;
        f.minText = std::min(f.minText, px);
        ++texts;
        small += px < threshold;
    }
    if (texts == 0)
        f.minText = 0;
    f.smallShare = texts ? double(small) / texts : 0;
    return f;
}

} // namespace

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(viz::GlRenderer::surfaceFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication qapp(argc, argv);
    QString sheetDir;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--contact-sheet")
            sheetDir = QString::fromLocal8Bit(argv[i + 1]);
    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    ctx.reloadLessons(false);
    app::MainWindow window(ctx);
    window.viewport()->setAnimationEnabled(false);
    window.show();
    window.setPresentation(true);
    pump();
    const QSize screen = window.screen()->geometry().size();
    // The picture-text floor the presentation camera keeps (ViewportWidget::kPictureTextPxPer720).
    const double threshold = app::ViewportWidget::kPictureTextPxPer720 * screen.height() / 720.0;
    std::printf(
        "presentation at %dx%d (picture text threshold %.0f px, narrative minimum %.0f px)\n",
        screen.width(), screen.height(), threshold,
        app::PresentationStrip::kMinTextPxPer720 * screen.height() / 720.0);
    for (lessons::Lang lang : {lessons::Lang::En, lessons::Lang::Zh}) {
        window.setLanguage(lang);
        std::vector<FrameFigures> all;
        std::vector<QImage> thumbs;
        QStringList labels;
        for (const lessons::Lesson* l : ctx.catalog.lessons()) {
            if (!window.openLesson(QString::fromStdString(l->id)))
                continue;
            const int frames = window.frameCount();
            int lastStep = -1;
            for (int fr = 0; fr < frames; ++fr) {
                window.goToFrame(fr);
                pump();
                FrameFigures f = measure(window, threshold);
                f.where = l->id + " frame " + std::to_string(fr + 1);
                all.push_back(f);
                const int step = window.player() ? window.player()->stepOf(fr) : 0;
                if (!sheetDir.isEmpty() && step != lastStep) {
                    thumbs.push_back(window.grab().toImage().scaled(
                        400, 400 * screen.height() / screen.width(), Qt::IgnoreAspectRatio,
                        Qt::SmoothTransformation));
                    labels << QStringLiteral("%1 · %2")
                                  .arg(QString::fromStdString(l->id))
                                  .arg(step + 1);
                }
                lastStep = step;
            }
        }
        auto worst = [&](auto key) {
            return *std::min_element(
                all.begin(), all.end(),
                [&](const FrameFigures& a, const FrameFigures& b) { return key(a) < key(b); });
        };
        std::vector<double> fills;
        for (const auto& f : all)
            fills.push_back(f.fill);
        std::sort(fills.begin(), fills.end());
        const FrameFigures wf = worst([](const FrameFigures& f) { return f.fill; });
        const FrameFigures wt =
            worst([](const FrameFigures& f) { return f.minText > 0 ? f.minText : 1e9; });
        int underHalf = 0, smallFrames = 0;
        for (const auto& f : all) {
            underHalf += f.fill < 0.5;
            smallFrames += f.smallShare > 0.5;
        }
        std::printf("%s: %zu frames\n", lang == lessons::Lang::Zh ? "zh" : "en", all.size());
        std::printf("  picture fills the free space (larger of width, height): median %.0f %%, "
                    "worst %.0f %% (%s); %d frames below 50 %%\n",
                    100 * fills[fills.size() / 2], 100 * wf.fill, wf.where.c_str(), underHalf);
        std::printf("  smallest picture text: %.1f px (%s); %d frames with most of their text "
                    "below %.0f px\n",
                    wt.minText, wt.where.c_str(), smallFrames, threshold);
        std::string listed;
        int shown = 0;
        for (const auto& f : all)
            if (f.smallShare > 0.5 && shown++ < 12)
                listed += (listed.empty() ? "" : ", ") + f.where;
        if (!listed.empty())
            std::printf("    those frames: %s%s\n", listed.c_str(), smallFrames > 12 ? ", ..." : "");
        if (!sheetDir.isEmpty()) {
            QDir().mkpath(sheetDir);
            const int cols = 4, rows = 6, tw = 400, th = 400 * screen.height() / screen.width();
            for (std::size_t page = 0; page * cols * rows < thumbs.size(); ++page) {
                QImage sheet(cols * (tw + 8) + 8, rows * (th + 30) + 8, QImage::Format_RGB32);
                sheet.fill(Qt::white);
                QPainter p(&sheet);
                p.setFont(QFont(QStringLiteral("DejaVu Sans"), 9));
                for (int k = 0; k < cols * rows; ++k) {
                    const std::size_t i = page * cols * rows + std::size_t(k);
                    if (i >= thumbs.size())
                        break;
                    const int x = 8 + (k % cols) * (tw + 8), y = 8 + (k / cols) * (th + 30);
                    p.drawImage(x, y, thumbs[i]);
                    p.setPen(Qt::gray);
                    p.drawRect(x, y, tw - 1, th - 1);
                    p.setPen(Qt::black);
                    p.drawText(x, y + th + 16, labels[qsizetype(i)]);
                }
                p.end();
                const QString path =
                    QDir(sheetDir).filePath(QStringLiteral("contact-%1-%2.png")
                                                .arg(lang == lessons::Lang::Zh ? "zh" : "en")
                                                .arg(page + 1, 2, 10, QChar('0')));
                sheet.save(path);
                std::printf("  %s\n", path.toStdString().c_str());
            }
        }
    }
    return 0;
}
