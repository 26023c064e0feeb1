// main(): a subcommand (app/cli/registry.cpp) runs with only what it needs; otherwise the GUI.
#include "app/app_context.h"
#include "app/cli/options.h"
#include "app/cli/registry.h"
#include "app/main_window.h"
#include "app/viewport_widget.h"
#include "engine/core/threads.h"
#include "viz/gl/gl_renderer.h"

#include <QApplication>
#include <QSettings>
#include <QSurfaceFormat>
#include <QTimer>
#include <cstdio>

using namespace aisys;

namespace {

int runGui(int argc, char** argv, const app::cli::CliOptions& opt) {
    QSurfaceFormat::setDefaultFormat(viz::GlRenderer::surfaceFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication qapp(argc, argv);
    QApplication::setOrganizationName("aisyslab");
    QApplication::setApplicationName("aisyslab");
    QApplication::setApplicationDisplayName("AISys Lab");
    QApplication::setApplicationVersion(AISYS_VERSION);
    QApplication::setWindowIcon(QIcon(":/icons/aisyslab.svg"));

    app::AppContext ctx;
    ctx.paths = app::AppPaths::detect();
    // Fast start: the Labs' dry runs (parameter combinations) happen in the background once
    // the window is up (MainWindow::validateLessonsInBackground).
    ctx.reloadLessons(false);

    QSettings settings;
    lessons::Lang lang = app::systemLanguage();
    if (settings.contains("language"))
        lessons::parseLang(settings.value("language").toString().toStdString(), lang);
    if (!opt.lang.empty())
        lessons::parseLang(opt.lang, lang);
    app::installTranslator(qapp, lang);

    app::MainWindow window(ctx);
    window.setLanguage(lang);
    const bool screenshot = !opt.screenshot.empty();
    if (!opt.model.empty()) {
        if (!window.openModel(QString::fromStdString(opt.model))) {
            std::fprintf(stderr, "aisyslab: cannot open the model %s\n", opt.model.c_str());
            if (screenshot)
                return 2;
            window.restoreSession();
        } else if (opt.step > 0) {
            window.goToFrame(opt.step - 1);
        }
    } else if (!opt.trace.empty()) {
        if (!window.openTrace(QString::fromStdString(opt.trace))) {
            std::fprintf(stderr, "aisyslab: cannot replay the trace %s (see the status bar)\n",
                         opt.trace.c_str());
            if (screenshot)
                return 2;
        } else if (opt.step > 0) {
            window.goToFrame(opt.step - 1);
        }
    } else if (!opt.lesson.empty()) {
        if (!window.openLesson(QString::fromStdString(opt.lesson))) {
            std::fprintf(stderr, "aisyslab: no lesson '%s' (see `aisyslab lessons`)\n",
                         opt.lesson.c_str());
            if (screenshot)
                return 2;
            window.restoreSession();
        } else if (opt.step > 0) {
            window.goToFrame(opt.step - 1);
        }
    } else {
        window.restoreSession();
    }
    if (screenshot) {
        window.viewport()->setAnimationEnabled(false);
        if (!opt.present)
            window.resize(1440, 900);
    }
    const bool reportFirstFrame = qEnvironmentVariableIsSet("AISYSLAB_REPORT_FIRST_FRAME");
    int exitCode = 0;
    QObject::connect(window.viewport(), &app::ViewportWidget::framePainted, &window, [&] {
        // The first frame that shows the lesson's picture (not an empty viewport).
        static bool reported = false;
        if (reportFirstFrame && !reported && !window.viewport()->scene().list.empty()) {
            reported = true;
            std::printf("first-frame\n");
            std::fflush(stdout);
            if (!screenshot)
                QTimer::singleShot(0, &qapp, [] { QApplication::quit(); });
        }
        // The second frame has the ImGui fonts for every overlay string: grab then.
        if (screenshot && window.viewport()->framesPainted() == 2) {
            QTimer::singleShot(0, &window, [&] {
                QImage img = window.grab().toImage();
                if (!img.save(QString::fromStdString(opt.screenshot))) {
                    std::fprintf(stderr, "aisyslab: cannot write %s\n", opt.screenshot.c_str());
                    exitCode = 1;
                }
                QApplication::quit();
            });
        }
    });
    if (opt.present)
        window.setPresentation(true);
    else
        window.show();
    if (!screenshot)
        window.validateLessonsInBackground();

    if (screenshot) // frames are painted on demand; make sure a second one comes
        QTimer::singleShot(200, window.viewport(), [&] { window.viewport()->update(); });
    const int rc = qapp.exec();
    return exitCode ? exitCode : rc;
}

} // namespace

int main(int argc, char** argv) {
    if (const int at = app::cli::subcommandIndex(argc, argv); at > 0)
        return app::cli::runSubcommand(argc, argv, at);
    app::cli::CliOptions opt;
    std::string error;
    if (!app::cli::parseOptions(argc, argv, 1, opt, error)) {
        std::fprintf(stderr, "aisyslab: %s\n", error.c_str());
        return 2;
    }
    if (opt.help) {
        std::printf("%s", app::cli::usageText().c_str());
        return 0;
    }
    if (opt.version) {
        std::printf("aisyslab %s\n", AISYS_VERSION);
        return 0;
    }
    engine::setThreads(1);      // the GUI's kernels are small; keep llvmpipe's cores free
    Q_INIT_RESOURCE(resources); // the icon lives in the static aisys_app library
    return runGui(argc, argv, opt);
}
