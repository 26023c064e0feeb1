// The layering of ../shared/DESIGN.md, enforced: every #include of the tree is read and checked
// against the rules below; planted violations in a scratch tree show that each rule bites.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// One #include that breaks a rule.
struct Violation {
    std::string file; ///< relative to the root
    int line = 0;
    std::string include;
    std::string rule;
    bool quoted = true; ///< "a/b.h" rather than <a/b.h>
    std::string format() const {
        const std::string spelled = quoted ? "\"" + include + "\"" : "<" + include + ">";
        return file + ":" + std::to_string(line) + ": #include " + spelled + " — " + rule;
    }
};

/// What the checker needs to know besides the tree.
struct Rules {
    /// engine's sub-folders in their written dependency order (engine/README.md).
    std::vector<std::string> engineOrder;
    /// Where Qt's headers live (<root>/QtWidgets/QWidget ...), to tell Widgets headers apart.
    fs::path qtRoot;
};

/// 1. Top-level layers: app → lessons → viz → engine, never back up.
int layerRank(const std::string& top) {
    static const std::map<std::string, int> kRank{
        {"engine", 0}, {"viz", 1}, {"lessons", 2}, {"app", 3}};
    auto it = kRank.find(top);
    return it == kRank.end() ? -1 : it->second;
}

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::stringstream ss(path);
    std::string p;
    while (std::getline(ss, p, '/'))
        parts.push_back(p);
    return parts;
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

/// The Qt module of a system include (<QtWidgets/QWidget> or <QWidget>), or "".
std::string qtModule(const std::string& inc, const fs::path& qtRoot) {
    if (startsWith(inc, "Qt") && inc.find('/') != std::string::npos)
        return inc.substr(0, inc.find('/'));
    if (inc.empty() || inc[0] != 'Q' || inc.find('/') != std::string::npos)
        return {};
    for (const char* m : {"QtWidgets", "QtOpenGLWidgets", "QtSvgWidgets", "QtGui", "QtOpenGL",
                          "QtSvg", "QtCore", "QtXml", "QtTest"}) {
        std::error_code ec;
        if (fs::exists(qtRoot / m / inc, ec))
            return m;
    }
    return {};
}

/// The layer whose rules a file follows: its top folder, or for tests/X/... the folder X.
/// tests/support, the tree-wide tests and bench/ (which measures every layer, the shell
/// included) follow app's: they may use anything.
std::string effectiveLayer(const std::vector<std::string>& parts) {
    if (parts.size() >= 2 && parts[0] == "tests")
        return layerRank(parts[1]) >= 0 ? parts[1] : "app";
    if (!parts.empty() && parts[0] == "bench")
        return "app";
    return parts.empty() ? "" : parts[0];
}

void checkInclude(const std::string& file, int line, const std::string& inc, bool quoted,
                  const Rules& rules, std::vector<Violation>& out) {
    const std::vector<std::string> from = split(file);
    const std::string layer = effectiveLayer(from);
    const int rank = layerRank(layer);
    auto bad = [&](const std::string& rule) {
        Violation v;
        v.file = file;
        v.line = line;
        v.include = inc;
        v.rule = rule;
        v.quoted = quoted;
        out.push_back(std::move(v));
    };
    if (!quoted) {
        // 2. No Qt in engine or lessons; no Widgets outside app; ImGui only in viz and app.
        const std::string mod = qtModule(inc, rules.qtRoot);
        const bool vizCore = from.size() == 2 && from[0] == "viz";
        const bool widgets =
            mod == "QtWidgets" || mod == "QtOpenGLWidgets" || mod == "QtSvgWidgets";
        if (!mod.empty() && (layer == "engine" || layer == "lessons"))
            bad(layer + "/ knows no Qt (" + mod + ")");
        else if (widgets && layer != "app")
            bad("only app/ uses Qt Widgets (" + mod + ")");
        else if (!mod.empty() && vizCore)
            bad("viz's core (viz/*.h, *.cpp) knows no Qt (" + mod +
                "); Qt lives in viz/gl, "
                "viz/export, viz/imgui");
        if (startsWith(inc, "imgui") && (layer == "engine" || layer == "lessons" || vizCore))
            bad((vizCore ? std::string("viz's core") : layer + "/") + " knows no Dear ImGui");
        return;
    }
    const std::vector<std::string> to = split(inc);
    if (to.size() < 2)
        return; // a same-folder include: checked with the file that holds it
    // 1. Layers.
    const int target = layerRank(to[0]);
    if (rank >= 0 && target > rank)
        bad(layer + " may not include " + to[0] + " (app → lessons → viz → engine)");
    if (to[0] == "viz" && to.size() > 2 &&
        (layer == "lessons" || (from[0] == "viz" && from.size() == 2)))
        bad((layer == "lessons" ? std::string("lessons/") : std::string("viz's core")) +
            " uses viz's core only, not viz/" + to[1] + "/");
    if (to[0] == "tests" && !(from[0] == "tests" && (to.size() < 2 || to[1] == "support" ||
                                                     (from.size() > 1 && to[1] == from[1]))))
        bad("only tests include tests/ (their own folder and tests/support)");
    // 3. engine's sub-folders in their written order.
    if (from[0] == "engine" && to[0] == "engine" && from.size() > 2 && to.size() > 2 &&
        from[1] != to[1]) {
        auto pos = [&](const std::string& d) {
            auto it = std::find(rules.engineOrder.begin(), rules.engineOrder.end(), d);
            return it == rules.engineOrder.end() ? -1 : int(it - rules.engineOrder.begin());
        };
        const int a = pos(from[1]), b = pos(to[1]);
        if (a < 0 || b < 0)
            bad("engine/" + (a < 0 ? from[1] : to[1]) +
                " is not in engine/README.md's dependency order");
        else if (b > a)
            bad("engine/" + from[1] + " may not include engine/" + to[1] +
                ", which comes after it in engine/README.md's order");
    }
    // 4. A Lab's files are its own: another Lab, the shared helpers and the shell use its
    //    public header only through the registry (lessons/lab_registry.cpp).
    if (to[0] == "lessons" && to.size() > 4 && to[1] == "labs") {
        const std::string lab = to[2] + "/" + to[3];
        const bool own = from.size() > 4 && from[0] == "lessons" && from[1] == "labs" &&
                         from[2] + "/" + from[3] == lab;
        const bool registry = file == "lessons/lab_registry.cpp";
        const bool itsTest = from[0] == "tests" && from.size() > 3 && from[1] == "lessons" &&
                             from[2] == "labs" && from[3] == to[2];
        if (!own && !registry && !itsTest)
            bad("lessons/labs/" + lab + "/ is private to its Lab (and its tests)");
    }
}

/// Reads every C++ source under the layered folders and checks each #include.
std::vector<Violation> checkTree(const fs::path& root, const Rules& rules) {
    static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
    std::vector<Violation> out;
    for (const char* top : {"engine", "viz", "lessons", "app", "tests", "bench", "tools"}) {
        std::error_code ec;
        if (!fs::is_directory(root / top, ec))
            continue;
        for (auto it = fs::recursive_directory_iterator(root / top, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
            const fs::path& p = it->path();
            if (!it->is_regular_file(ec) || (p.extension() != ".h" && p.extension() != ".cpp"))
                continue;
            const std::string rel = fs::relative(p, root).generic_string();
            std::ifstream in(p);
            std::string text;
            int line = 0;
            while (std::getline(in, text)) {
                ++line;
                std::smatch m;
                if (std::regex_search(text, m, kInclude))
                    checkInclude(rel, line, m[2], m[1] == "\"", rules, out);
            }
        }
    }
    return out;
}

/// engine/README.md's order: the line "Dependency order: core → graph → ...".
std::vector<std::string> readEngineOrder(const fs::path& readme) {
    std::ifstream in(readme);
    std::string line;
    while (std::getline(in, line)) {
        const std::string key = "Dependency order:";
        const auto at = line.find(key);
        if (at == std::string::npos)
            continue;
        std::vector<std::string> order;
        std::string rest = line.substr(at + key.size()), word;
        for (char& c : rest)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
                c = ' ';
        std::stringstream ss(rest);
        while (ss >> word)
            order.push_back(word);
        return order;
    }
    return {};
}

Rules projectRules() {
    Rules r;
    r.engineOrder = readEngineOrder(fs::path(AISYS_SOURCE_DIR) / "engine/README.md");
    r.qtRoot = AISYS_QT_INCLUDE_ROOT;
    return r;
}

/// Writes `text` to root/rel, creating folders.
void put(const fs::path& root, const std::string& rel, const std::string& text) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
}

bool caught(const std::vector<Violation>& v, const std::string& file, const std::string& what) {
    for (const auto& x : v)
        if (x.file == file && x.rule.find(what) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST(Layering, EngineOrderIsWrittenAndCoversEveryEngineFolder) {
    const Rules r = projectRules();
    ASSERT_GE(r.engineOrder.size(), 5u) << "engine/README.md needs a 'Dependency order:' line";
    EXPECT_EQ(r.engineOrder.front(), "core");
    for (const auto& de : fs::directory_iterator(fs::path(AISYS_SOURCE_DIR) / "engine"))
        if (de.is_directory()) {
            EXPECT_NE(std::find(r.engineOrder.begin(), r.engineOrder.end(),
                                de.path().filename().string()),
                      r.engineOrder.end())
                << "engine/" << de.path().filename().string() << " is not in the order";
        }
    EXPECT_TRUE(fs::exists(r.qtRoot / "QtWidgets" / "QWidget")) << r.qtRoot;
}

TEST(Layering, EveryIncludeOfTheTreeFollowsTheRules) {
    const std::vector<Violation> v = checkTree(AISYS_SOURCE_DIR, projectRules());
    for (const auto& x : v)
        ADD_FAILURE() << x.format();
}

TEST(Layering, PlantedViolationsAreCaught) {
    const fs::path root = fs::temp_directory_path() / "aisys-layering-plant";
    fs::remove_all(root);
    put(root, "engine/core/a.h", "#include \"viz/scene.h\"\n");
    put(root, "engine/core/b.cpp", "#include \"engine/ops/op.h\"\n#include \"engine/core/a.h\"\n");
    put(root, "engine/ops/c.cpp", "#include \"engine/core/a.h\"\n#include <QString>\n");
    put(root, "engine/zoo/d.cpp", "#include \"engine/core/a.h\"\n");
    put(root, "viz/e.cpp", "  #  include <QWidget>\n#include \"lessons/lab.h\"\n");
    put(root, "lessons/labs/chips/tpu/f.cpp",
        "#include \"lessons/labs/chips/systolic/setup.h\"\n"
        "#include \"lessons/labs/chips/tpu/mxu.h\"\n#include <imgui.h>\n");
    put(root, "lessons/common/g.cpp", "#include \"lessons/labs/chips/tpu/mxu.h\"\n");
    put(root, "app/h.cpp", "#include \"lessons/labs/chips/tpu/mxu.h\"\n#include <QWidget>\n");
    put(root, "tests/viz/test_i.cpp",
        "#include \"lessons/common/g.h\"\n"
        "#include \"tests/engine/x.h\"\n#include \"tests/support/y.h\"\n");
    put(root, "tests/lessons/labs/chips/test_j.cpp", "#include \"lessons/labs/chips/tpu/mxu.h\"\n");
    put(root, "viz/k.cpp", "#include <QImage>\n#include \"viz/gl/gl_renderer.h\"\n");
    put(root, "viz/gl/l.cpp", "#include <QImage>\n#include <imgui.h>\n#include \"viz/scene.h\"\n");
    put(root, "lessons/m.cpp", "#include \"viz/export/exporter.h\"\n#include \"viz/scene.h\"\n");
    Rules rules;
    rules.engineOrder = {"core", "ops"};
    rules.qtRoot = AISYS_QT_INCLUDE_ROOT;
    const std::vector<Violation> v = checkTree(root, rules);
    for (const auto& x : v)
        std::printf("  caught %s\n", x.format().c_str());
    EXPECT_TRUE(caught(v, "engine/core/a.h", "engine may not include viz"));
    EXPECT_TRUE(caught(v, "engine/core/b.cpp", "comes after it"));
    EXPECT_TRUE(caught(v, "engine/ops/c.cpp", "knows no Qt"));
    EXPECT_TRUE(caught(v, "engine/zoo/d.cpp", "not in engine/README.md's dependency order"));
    EXPECT_TRUE(caught(v, "viz/e.cpp", "only app/ uses Qt Widgets"));
    EXPECT_TRUE(caught(v, "viz/e.cpp", "viz may not include lessons"));
    EXPECT_TRUE(caught(v, "lessons/labs/chips/tpu/f.cpp", "chips/systolic/ is private"));
    EXPECT_TRUE(caught(v, "lessons/labs/chips/tpu/f.cpp", "knows no Dear ImGui"));
    EXPECT_TRUE(caught(v, "lessons/common/g.cpp", "chips/tpu/ is private"));
    EXPECT_TRUE(caught(v, "app/h.cpp", "chips/tpu/ is private"));
    EXPECT_TRUE(caught(v, "tests/viz/test_i.cpp", "viz may not include lessons"));
    EXPECT_TRUE(caught(v, "tests/viz/test_i.cpp", "only tests include tests/"));
    EXPECT_TRUE(caught(v, "viz/k.cpp", "viz's core (viz/*.h, *.cpp) knows no Qt"));
    EXPECT_TRUE(caught(v, "viz/k.cpp", "uses viz's core only"));
    EXPECT_TRUE(caught(v, "lessons/m.cpp", "lessons/ uses viz's core only, not viz/export/"));
    // What is allowed stays allowed: a Lab's own header, its tests, app's Widgets, an engine
    // folder including one before it, tests/support, Qt and ImGui in viz/gl, viz's core.
    EXPECT_EQ(v.size(), 15u);
    fs::remove_all(root);
}
