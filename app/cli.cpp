// Headless subcommands: `lessons` (list with errors) and `export` (SVG/PDF/PNG per step).
#include "app/cli.h"

#include "app/app_context.h"
#include "app/cli_model.h"
#include "app/cli_optimize.h"
#include "app/lesson_library.h"
#include "engine/onnx/onnx_import.h"
#include "lessons/lesson_player.h"
#include "viz/exporter.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace aisys::app {

namespace {

bool takeValue(int& i, int argc, char** argv, const std::string& flag, std::string& out,
               std::string& error) {
    if (i + 1 >= argc) {
        error = flag + " needs a value";
        return false;
    }
    out = argv[++i];
    return true;
}

bool parseNumber(const std::string& s, double& out) {
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return !s.empty() && end && *end == '\0';
}

} // namespace

bool isHeadlessCommand(const std::string& c) {
    return c == "lessons" || c == "export" || c == "info" || c == "infer" || c == "train";
}

std::string usageText() {
    return R"(AISys Lab — interactive lessons for the course "AI Systems"

Usage:
  aisyslab [--lang zh|en] [--lesson ID | --model FILE.onnx] [--step N] [--present]
           [--screenshot FILE.png]
      Opens the lab (on its last lesson, or on ID at step N); --present starts full-screen in
      presentation mode. With --screenshot it saves a PNG of the whole window after the
      first complete frame and exits.
  aisyslab lessons [--strict]
      Lists every lesson: id, steps, frames, title; then lesson files with errors
      (file:line:col: what is wrong). --strict exits with 1 when any file is broken.
  aisyslab export (--lesson ID | --model FILE.onnx) [--step N | --all-steps]
                  --format svg|pdf|png [--scale S] [--passes a,b,c | -O0..-O3]
                  [--theme light|dark] [--set NAME=VALUE ...] -o PATH
      Draws lesson frames headlessly. Steps are numbered 1..n as in the step bar. With
      --all-steps PATH is a folder that receives ID-step-NN.EXT files. --set changes a Lab
      parameter ("what if"), e.g. --set ranks=8. --model draws an ONNX model's graph (step 1)
      or its run node by node (--all-steps); with --passes the graph is optimized first.

  aisyslab info MODEL.onnx [--dim NAME=V ...] [--json]
      Inputs, outputs, opsets, op histogram, parameters (count, bytes), FLOPs per op type
      and in total.
  aisyslab infer MODEL.onnx --output-dir DIR [--input NAME=FILE.npy ...] [--dim NAME=V ...]
                 [--seed S] [--bench N [--profile]] [--threads T] [--passes a,b,c | -O0..-O3]
      Runs the model; inputs not given get seeded uniform [-1, 1) values (integer inputs 0).
      Writes every output as DIR/NAME.npy; --bench N prints the median latency of N runs;
      --profile adds each node's median time, share and GFLOP/s (slowest first).
      --passes runs the graph compiler's pipeline on the model first (see optimize).
)" + optimizeUsage() +
           R"(
  aisyslab train --example spirals|digits --epochs E [--seed S] [--threads T]
      Trains the engine's small MLP (two spirals) or CNN (drawn digits) on data it generates
      and prints loss and accuracy per epoch.

  aisyslab systolic (--topology FILE.csv | --model MODEL.onnx) --rows R --cols C
                    --dataflow ws|os|is [--config scale.cfg] [--bw WORDS_PER_CYCLE]
                    [--report-dir DIR] [--json]
      SCALE-Sim v2-compatible systolic-array report per layer (cycles, stalls, utilization,
      SRAM/DRAM traffic); see aisyslab systolic --help.

Global options:
  --lang zh|en    language of lessons and the UI (default: the system locale)
  --help, --version
)";
}

bool parseCli(int argc, char** argv, CliOptions& o, std::string& error) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        std::string v;
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--version") {
            o.version = true;
        } else if (a == "--strict") {
            o.strict = true;
        } else if (a == "--present") {
            o.present = true;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--profile") {
            o.profile = true;
        } else if (a == "--input" || a == "--dim") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            (a == "--input" ? o.inputs : o.dims).push_back(v);
        } else if (a == "--passes") {
            if (!takeValue(i, argc, argv, a, o.passes, error))
                return false;
        } else if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
            o.passes = a;
        } else if (a == "--example") {
            if (!takeValue(i, argc, argv, a, o.example, error))
                return false;
        } else if (a == "--epochs") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            double d;
            if (!parseNumber(v, d) || d < 1 || d != std::floor(d) || d > 100000) {
                error = "--epochs expects a whole number ≥ 1, got '" + v + "'";
                return false;
            }
            o.epochs = static_cast<int>(d);
        } else if (a == "--output-dir") {
            if (!takeValue(i, argc, argv, a, o.outputDir, error))
                return false;
        } else if (a == "--seed" || a == "--bench" || a == "--threads") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            double d;
            if (!parseNumber(v, d) || d < (a == "--seed" ? 0 : 1) || d != std::floor(d) ||
                d > 1e15) {
                error = a + " expects a whole number" + (a == "--seed" ? " ≥ 0" : " ≥ 1") +
                        ", got '" + v + "'";
                return false;
            }
            if (a == "--seed")
                o.seed = static_cast<std::uint64_t>(d);
            else if (a == "--bench")
                o.bench = static_cast<int>(d);
            else
                o.threads = static_cast<int>(d);
        } else if (a == "--all-steps") {
            o.allSteps = true;
        } else if (a == "--lang") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            lessons::Lang l;
            if (!lessons::parseLang(v, l)) {
                error = "--lang expects zh or en, got '" + v + "'";
                return false;
            }
            o.lang = l;
        } else if (a == "--lesson") {
            if (!takeValue(i, argc, argv, a, o.lesson, error))
                return false;
        } else if (a == "--model") {
            if (!takeValue(i, argc, argv, a, o.model, error))
                return false;
        } else if (a == "--step") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            double d;
            if (!parseNumber(v, d) || d < 1 || d != static_cast<int>(d)) {
                error = "--step expects a whole number ≥ 1, got '" + v + "'";
                return false;
            }
            o.step = static_cast<int>(d);
        } else if (a == "--format") {
            if (!takeValue(i, argc, argv, a, o.format, error))
                return false;
        } else if (a == "--scale") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            if (!parseNumber(v, o.scale) || !(o.scale > 0 && o.scale <= 16)) {
                error = "--scale expects a number in (0, 16], e.g. 1, 2 or 4; got '" + v + "'";
                return false;
            }
        } else if (a == "-o" || a == "--output") {
            if (!takeValue(i, argc, argv, a, o.output, error))
                return false;
        } else if (a == "--screenshot") {
            if (!takeValue(i, argc, argv, a, o.screenshot, error))
                return false;
        } else if (a == "--theme") {
            if (!takeValue(i, argc, argv, a, o.theme, error))
                return false;
            if (o.theme != "light" && o.theme != "dark") {
                error = "--theme expects light or dark, got '" + o.theme + "'";
                return false;
            }
        } else if (a == "--set") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            o.sets.push_back(v);
        } else if (!a.empty() && a[0] == '-') {
            error = "unknown option '" + a + "' (see aisyslab --help)";
            return false;
        } else if (o.command.empty()) {
            o.command = a;
            if (!isHeadlessCommand(a)) {
                error = "unknown command '" + a +
                        "' (expected: lessons, export, info, infer, train; see --help)";
                return false;
            }
        } else {
            o.positional.push_back(a);
        }
    }
    return true;
}

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
    const lessons::Lang lang = opt.lang.value_or(lessons::Lang::En);
    std::printf("Lessons from: %s\n", ctx.paths.lessonFolders().join(", ").toStdString().c_str());
    std::printf("%-24s %5s %6s  %s\n", "ID", "STEPS", "FRAMES", "TITLE");
    for (const lessons::Lesson* l : ctx.catalog.lessons()) {
        const lessons::Lab* lab = ctx.labs.find(l->labId);
        int frames = 0;
        try {
            frames = lessons::LessonPlayer(*l, *lab).frameCount();
        } catch (const std::exception& e) {
            frames = -1;
        }
        std::printf("%-24s %5zu %6d  %s%s\n", l->id.c_str(), l->steps.size(), frames,
                    l->title.get(lang).c_str(), l->user ? "  (user)" : "");
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
    if (opt.format.empty())
        return fail("--format svg|pdf|png is required");
    if (!viz::parseExportFormat(opt.format, eo.format))
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
    draw.lang = opt.lang.value_or(lessons::Lang::En);
    draw.theme = opt.theme == "dark" ? viz::Theme::Dark : viz::Theme::Light;
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

int runHeadless(const CliOptions& opt) {
    if (opt.command == "info")
        return runModelInfo(opt);
    if (opt.command == "infer")
        return runModelInfer(opt);
    if (opt.command == "train")
        return runTrain(opt);
    AppContext ctx;
    ctx.paths = AppPaths::detect();
    ctx.reloadLessons();
    if (opt.command == "lessons")
        return listLessons(ctx, opt);
    if (opt.command == "export")
        return exportLesson(ctx, opt);
    std::fprintf(stderr, "aisyslab: unknown command '%s'\n", opt.command.c_str());
    return 2;
}

} // namespace aisys::app
