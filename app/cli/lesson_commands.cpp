// `aisyslab lessons` and `aisyslab export`: each loads the lesson files and runs only the
// lesson (or model) it was asked about.
#include "app/cli/lesson_commands.h"

#include "app/app_context.h"
#include "app/cli/optimize_command.h"
#include "app/cli/options.h"
#include "app/lesson_library.h"
#include "app/slide_deck.h"
#include "engine/onnx/onnx_import.h"
#include "lessons/lesson_player.h"
#include "viz/export/exporter.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <cstdio>

namespace aisys::app::cli {

const char* lessonsUsage() {
    return R"(  aisyslab lessons [--check] [--strict]
      Lists every lesson (id, steps, part / chapter, title) from the lesson files, then the
      files with errors (file:line:col: what is wrong); no Lab runs. --check also runs every
      lesson's Lab with each parameter set its steps reach (as the GUI does in the background),
      adds each lesson's frame count and reports the combinations a Lab refuses. --strict exits
      with 1 when any file is broken.
)";
}

const char* exportUsage() {
    return R"(  aisyslab export (--lesson ID | --model FILE.onnx | --trace FILE) [--step N | --all-steps]
                  --format svg|pdf|png [--scale S] [--passes a,b,c | -O0..-O3]
                  [--theme light|dark] [--set NAME=VALUE ...] [--dim NAME=V ...] -o PATH
  aisyslab export --lesson ID (--slides [--size 1280x720] | --handout) [--format pdf]
                  [--lang zh|en] [--theme light|dark] [--set NAME=VALUE ...] -o DECK.pdf
      Draws lesson frames headlessly; only that lesson's Lab runs. Steps are numbered 1..n as
      in the step bar. With --all-steps PATH is a folder that receives ID-step-NN.EXT files.
      --set changes a Lab parameter ("what if"), e.g. --set ranks=8. --model draws an ONNX
      model's graph without running it (step 1: symbolic dims by name, ops the engine lacks
      marked) or its run node by node (--all-steps), with --dim NAME=V for the run's sizes
      (unbound ones: batch 1, H/W 224, sequence lengths 128); with --passes the graph is
      optimized first. --slides writes the lesson as a deck, one landscape page per step
      (the picture, the step title, the whole narrative as real text, the step number);
      --handout puts picture and narrative on portrait A4 pages for printing. --trace FILE
      (written by `mpirun ... aisyslab-mpi --trace FILE`) draws the lesson mpi-replay on it:
      the measured steps beside the simulator's (same as --lesson mpi-replay --set trace=FILE).
)";
}

namespace {

lessons::Lang langOf(const CliOptions& opt) {
    lessons::Lang l = lessons::Lang::En;
    if (!opt.lang.empty())
        lessons::parseLang(opt.lang, l);
    return l;
}

/// The common options of a subcommand that takes no positional words.
bool parseFor(const char* cmd, int argc, char** argv, CliOptions& opt) {
    if (!parseSubcommandOptions(cmd, argc, argv, opt))
        return false;
    if (!opt.positional.empty()) {
        std::fprintf(stderr, "aisyslab %s: unexpected '%s' (see aisyslab %s --help)\n", cmd,
                     opt.positional[0].c_str(), cmd);
        return false;
    }
    return true;
}

} // namespace

std::string parseOverride(const std::string& text, const std::vector<lessons::ParamSpec>& specs,
                          lessons::ParamSet& into) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        return "--set expects NAME=VALUE, got '" + text + "'";
    std::string name = text.substr(0, eq), value = text.substr(eq + 1);
    const lessons::ParamSpec* spec = lessons::findSpec(specs, name);
    if (!spec) {
        std::string list;
        for (const auto& s : specs)
            list += (list.empty() ? "" : ", ") + s.name;
        return "--set: unknown parameter '" + name + "' (expected one of: " + list + ")";
    }
    lessons::ParamValue pv;
    double d;
    switch (spec->type) {
    case lessons::ParamType::Int:
        if (!parseNumber(value, d) || d != static_cast<std::int64_t>(d))
            return "--set " + name + ": expected an integer, got '" + value + "'";
        pv = static_cast<std::int64_t>(d);
        break;
    case lessons::ParamType::Float:
        if (!parseNumber(value, d))
            return "--set " + name + ": expected a number, got '" + value + "'";
        pv = d;
        break;
    case lessons::ParamType::Bool:
        if (value != "true" && value != "false")
            return "--set " + name + ": expected true or false, got '" + value + "'";
        pv = value == "true";
        break;
    case lessons::ParamType::Choice:
    case lessons::ParamType::Text:
        pv = value;
        break;
    }
    if (auto msg = lessons::checkValue(*spec, pv); !msg.empty())
        return "--set " + name + ": " + msg;
    into.set(name, lessons::coerce(*spec, pv));
    return {};
}

namespace {

int listLessons(const AppContext& ctx, const CliOptions& opt) {
    const lessons::Lang lang = langOf(opt);
    std::printf("Lessons from: %s\n", ctx.paths.lessonFolders().join(", ").toStdString().c_str());
    if (opt.check)
        std::printf("%-30s %5s %6s  %s\n", "ID", "STEPS", "FRAMES", "TITLE");
    else
        std::printf("%-30s %5s  %s\n", "ID", "STEPS", "TITLE");
    for (const lessons::Lesson* l : ctx.catalog.lessons()) {
        const char* user = l->user ? "  (user)" : "";
        if (!opt.check) {
            std::printf("%-30s %5zu  %s%s\n", l->id.c_str(), l->steps.size(),
                        l->title.get(lang).c_str(), user);
            continue;
        }
        int frames = -1;
        try {
            frames = lessons::LessonPlayer(*l, *ctx.labs.find(l->labId)).frameCount();
        } catch (const std::exception&) {
        }
        std::printf("%-30s %5zu %6d  %s%s\n", l->id.c_str(), l->steps.size(), frames,
                    l->title.get(lang).c_str(), user);
    }
    auto broken = ctx.catalog.broken();
    if (!broken.empty()) {
        std::printf("\nLesson files with errors (%zu):\n", broken.size());
        for (const auto* b : broken)
            for (const auto& e : b->errors)
                std::printf("  %s\n", e.format().c_str());
    }
    return opt.strict && !broken.empty() ? 1 : 0;
}

int exportLesson(const AppContext& ctx, const CliOptions& opt) {
    auto fail = [](const std::string& m) {
        std::fprintf(stderr, "aisyslab export: %s\n", m.c_str());
        return 2;
    };
    if (opt.lesson.empty() == opt.model.empty())
        return fail("give either --lesson ID (see `aisyslab lessons`) or --model FILE.onnx");
    if (opt.output.empty())
        return fail("-o PATH is required");
    viz::ExportOptions eo;
    const bool deck = opt.slides || opt.handout;
    if (opt.slides && opt.handout)
        return fail("--slides and --handout exclude each other");
    if (deck && !opt.format.empty() && opt.format != "pdf")
        return fail("--slides and --handout write PDF; drop --format or give --format pdf");
    if (deck && (opt.step > 0 || opt.allSteps))
        return fail("--slides and --handout take every step; drop --step / --all-steps");
    if (opt.format.empty() && !deck)
        return fail("--format svg|pdf|png is required");
    if (!deck && !viz::parseExportFormat(opt.format, eo.format))
        return fail("--format expects svg, pdf or png, got '" + opt.format + "'");
    if (opt.allSteps && opt.step > 0)
        return fail("--step and --all-steps exclude each other");
    eo.scale = static_cast<float>(opt.scale);
    // A model is shown as its own two-step lesson (graph, then its run node by node).
    lessons::LessonLoad modelLoad;
    QTemporaryDir optimizedDir; // holds the optimized model while it is drawn
    if (!opt.passes.empty() && opt.model.empty())
        return fail("--passes applies to --model FILE.onnx");
    if (!opt.model.empty()) {
        if (!QFileInfo::exists(QString::fromStdString(opt.model)))
            return fail("no model file " + opt.model);
        QString drawn = QString::fromStdString(opt.model);
        if (!opt.passes.empty()) {
            // Optimize, write the result next to nothing the user owns, draw that file.
            try {
                engine::Graph g = engine::importOnnxFile(opt.model);
                if (auto err = optimizeGraph(g, opt.passes); !err.empty())
                    return fail("--passes: " + err);
                drawn = optimizedDir.filePath(QFileInfo(drawn).fileName());
                engine::exportOnnxFile(g, drawn.toStdString());
            } catch (const std::exception& e) {
                return fail(opt.model + ": " + e.what());
            }
        }
        modelLoad = LessonLibrary::modelLesson(drawn, ctx.labs);
        if (!opt.dims.empty() && modelLoad.lesson) { // --dim N=1 --dim H=320: the run's sizes
            std::string dims;
            for (const std::string& d : opt.dims)
                dims += (dims.empty() ? "" : ",") + d;
            modelLoad.lesson->params.set("dims", dims);
        }
        if (!opt.passes.empty() && modelLoad.lesson) {
            const std::string title =
                QFileInfo(QString::fromStdString(opt.model)).fileName().toStdString() + " (" +
                opt.passes + ")";
            modelLoad.lesson->title = {title, title};
        }
    }
    const lessons::Lesson* lesson =
        modelLoad.lesson ? &*modelLoad.lesson : ctx.catalog.find(opt.lesson);
    if (!lesson) {
        for (const auto* b : ctx.catalog.broken())
            if (b->idHint == opt.lesson)
                return fail("lesson '" + opt.lesson + "' has errors: " + b->errors[0].format());
        return fail("no lesson '" + opt.lesson + "' (see `aisyslab lessons`)");
    }
    const lessons::Lab* lab = ctx.labs.find(lesson->labId);
    std::unique_ptr<lessons::LessonPlayer> player;
    try {
        player = std::make_unique<lessons::LessonPlayer>(*lesson, *lab);
    } catch (const std::exception& e) {
        // The files were parsed without running their Labs: find the step that makes the
        // parameter set the Lab refuses, as a dry run at load time would have named it.
        if (opt.model.empty())
            if (auto errs = lessons::dryRunLesson(*lesson, ctx.labs); !errs.empty())
                return fail("lesson '" + opt.lesson + "' has errors: " + errs[0].format());
        return fail((opt.model.empty() ? "lesson '" + opt.lesson + "'" : opt.model) +
                    " cannot run: " + e.what());
    }
    lessons::ParamSet overrides;
    for (const auto& s : opt.sets)
        if (auto err = parseOverride(s, lab->params(), overrides); !err.empty())
            return fail(err);
    if (!opt.sets.empty())
        if (auto err = player->setOverrides(overrides); !err.empty())
            return fail("the parameters cannot run: " + err);
    lessons::DrawOptions draw;
    draw.lang = langOf(opt);
    draw.theme = opt.theme == "dark" ? viz::Theme::Dark : viz::Theme::Light;
    if (deck) {
        SlideOptions so;
        so.size = QSize(opt.slideWidth, opt.slideHeight);
        so.handout = opt.handout;
        so.lang = draw.lang;
        so.theme = draw.theme;
        const SlideDeckResult r = writeSlideDeck(*player, opt.output, so);
        if (!r.error.empty())
            return fail(r.error);
        std::printf("%s (%d pages, %d steps)\n", opt.output.c_str(), r.pages, r.steps);
        return 0;
    }
    const int n = player->frameCount();
    std::vector<int> frames;
    if (opt.allSteps) {
        for (int f = 0; f < n; ++f)
            frames.push_back(f);
    } else {
        int step = opt.step > 0 ? opt.step : 1;
        if (step > n)
            return fail("--step " + std::to_string(step) + " is past the end: lesson '" +
                        opt.lesson + "' has " + std::to_string(n) + " steps");
        frames.push_back(step - 1);
    }
    QString dir;
    if (opt.allSteps) {
        dir = QString::fromStdString(opt.output);
        if (!QDir().mkpath(dir))
            return fail("cannot create the folder " + opt.output);
    }
    const int width = n >= 100 ? 3 : 2;
    for (int f : frames) {
        std::string path = opt.output;
        if (opt.allSteps) {
            QString name = QString("%1-step-%2.%3")
                               .arg(QString::fromStdString(
                                   opt.model.empty() ? opt.lesson
                                                     : QFileInfo(QString::fromStdString(opt.model))
                                                           .completeBaseName()
                                                           .toStdString()))
                               .arg(f + 1, width, 10, QChar('0'))
                               .arg(viz::extensionOf(eo.format));
            path = QDir(dir).filePath(name).toStdString();
        }
        viz::Scene scene = player->scene(f, draw);
        eo.title =
            lesson->title.get(draw.lang) + " — " + std::to_string(f + 1) + "/" + std::to_string(n);
        if (auto err = viz::exportScene(scene, path, eo); !err.empty())
            return fail(err);
        std::printf("%s\n", path.c_str());
    }
    return 0;
}

} // namespace

int runLessons(int argc, char** argv) {
    CliOptions opt;
    if (!parseFor("lessons", argc, argv, opt))
        return 2;
    AppContext ctx;
    ctx.paths = AppPaths::detect();
    ctx.reloadLessons(opt.check); // files only, unless --check asks for the dry runs
    return listLessons(ctx, opt);
}

int runExport(int argc, char** argv) {
    CliOptions opt;
    if (!parseFor("export", argc, argv, opt))
        return 2;
    AppContext ctx;
    ctx.paths = AppPaths::detect();
    ctx.reloadLessons(false); // parse the files; only the exported lesson runs (below)
    if (!opt.trace.empty()) {
        // --trace FILE: the lesson mpi-replay (or --lesson's) with its 'trace' parameter set.
        if (!opt.model.empty()) {
            std::fprintf(stderr, "aisyslab export: give --trace or --model, not both\n");
            return 2;
        }
        if (opt.lesson.empty())
            opt.lesson = "mpi-replay";
        opt.sets.push_back(
            "trace=" +
            QFileInfo(QString::fromStdString(opt.trace)).absoluteFilePath().toStdString());
    }
    return exportLesson(ctx, opt);
}

} // namespace aisys::app::cli
