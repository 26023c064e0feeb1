// The window's side of the lesson catalog: starting a lesson, opening a file, reloading.
#include "app/lesson_library.h"

#include "engine/onnx/onnx_import.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

#include <exception>
#include <map>
#include <utility>

namespace aisys::app {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// A lesson made in code (not read from a file) as a catalog entry.
lessons::LessonLoad generated(lessons::Lesson l) {
    lessons::LessonLoad load;
    load.file = l.file;
    load.idHint = l.id;
    load.titleHint = l.title;
    load.lesson = std::move(l);
    return load;
}

} // namespace

LessonLibrary::Started LessonLibrary::start(const QString& id) const {
    Started out;
    // 1. Find the lesson; a broken file with that id explains itself.
    const std::string sid = id.toStdString();
    const lessons::Lesson* lesson = m_ctx.catalog.find(sid);
    if (!lesson) {
        for (const lessons::LessonLoad* broken : m_ctx.catalog.broken()) {
            if (broken->idHint == sid && !broken->errors.empty()) {
                out.error = tr("Lesson \"%1\" could not be loaded: %2")
                                .arg(id, qs(broken->errors.front().format()));
                out.errorMs = 12000;
                return out;
            }
        }
        out.error = tr("There is no lesson \"%1\".").arg(id);
        return out;
    }
    const lessons::Lab* lab = m_ctx.labs.find(lesson->labId);
    if (!lab) {
        out.error = tr("Lesson \"%1\" needs the lab \"%2\", which this version does not have.")
                        .arg(id, qs(lesson->labId));
        out.errorMs = 12000;
        return out;
    }

    // 2. Run it; a Lab may refuse the lesson's parameters.
    try {
        out.player = std::make_unique<lessons::LessonPlayer>(*lesson, *lab);
    } catch (const std::exception& e) {
        out.error = tr("Lesson \"%1\" could not be started: %2").arg(id, qs(e.what()));
        out.errorMs = 12000;
    }
    return out;
}

void LessonLibrary::add(const lessons::LessonLoad& load) {
    auto& entries = m_ctx.catalog.entries;
    for (lessons::LessonLoad& e : entries) {
        const bool sameId = load.lesson && e.lesson && e.lesson->id == load.lesson->id;
        if (sameId || e.file == load.file) {
            e = load;
            return;
        }
    }
    entries.push_back(load);
}

LessonLibrary::Opened LessonLibrary::open(QWidget* parent, QSettings& s) {
    const QString dir =
        s.value(QStringLiteral("files/lessonDir"), m_ctx.paths.userLessonsDir).toString();
    const QString path = QFileDialog::getOpenFileName(parent, tr("Open Lesson File"), dir,
                                                      tr("Lesson files (*.toml);;All files (*)"));
    if (path.isEmpty())
        return {};
    s.setValue(QStringLiteral("files/lessonDir"), QFileInfo(path).absolutePath());

    const lessons::LessonLoad load = lessons::loadLessonFile(path.toStdString(), m_ctx.labs);
    if (!load.ok()) {
        QStringList lines;
        for (const lessons::LessonError& e : load.errors)
            lines << qs(e.format());
        QMessageBox box(QMessageBox::Warning, tr("Open Lesson File"),
                        tr("The lesson file %1 has errors and was not opened.")
                            .arg(QDir::toNativeSeparators(path)),
                        QMessageBox::Ok, parent);
        const QStringList first = lines.mid(0, 12);
        box.setInformativeText(first.join(u'\n') +
                               (lines.size() > first.size() ? QStringLiteral("\n…") : QString()));
        box.setDetailedText(lines.join(u'\n'));
        box.exec();
        return {path, QString(), QString()};
    }
    if (!m_files.contains(path))
        m_files << path;
    add(load);
    return {path, qs(load.lesson->id), QString()};
}

lessons::LessonLoad LessonLibrary::modelLesson(const QString& path,
                                               const lessons::LabRegistry& labs) {
    // 1. One lesson per model file; its id is derived from the path, so reopening replaces it.
    // 2. Step 1 shows the graph, step 2 plays the execution node by node.
    lessons::Lesson l;
    const QString name = QFileInfo(path).fileName();
    l.id = "model:" + QFileInfo(path).absoluteFilePath().toStdString();
    l.title = {name.toStdString(), name.toStdString()};
    l.partId = "your-models";
    l.chapterId = "opened-models";
    l.part = {"Your models", "你的模型"};
    l.chapter = {"Opened models", "已打开的模型"};
    l.order = 1000;
    l.labId = "onnx-model";
    l.file = path.toStdString();
    l.user = true;
    if (const lessons::Lab* lab = labs.find(l.labId))
        l.params = lessons::defaults(lab->params());
    l.params.set("model", QFileInfo(path).absoluteFilePath().toStdString());
    // The symbolic dims a run will bind, pre-filled with their defaults ("N=1, H=224, W=224")
    // so the panel shows what → will use; a file that cannot be read leaves it empty (opening
    // it then reports why).
    try {
        engine::OnnxImportOptions io;
        io.inferShapes = false;
        io.keepUnsupported = true;
        const engine::Graph g =
            engine::importOnnxFile(QFileInfo(path).absoluteFilePath().toStdString(), io);
        std::map<std::string, std::int64_t> dims;
        for (int in : g.inputs)
            for (const std::string& d : g.values[in].dimParams)
                if (!d.empty())
                    dims.emplace(d, engine::defaultDimSize(d));
        std::string text;
        for (const auto& [d, v] : dims)
            text += (text.empty() ? "" : ", ") + d + "=" + std::to_string(v);
        l.params.set("dims", text);
    } catch (const std::exception&) {
    }
    lessons::LessonStep graph;
    graph.phase = "graph";
    graph.title = {"The graph", "计算图"};
    graph.text = {
        "The model as the engine imported it: **nodes** are operators, **edges** are "
        "tensors with their shapes. Hover a node for its attributes; zoom with the "
        "wheel. Press → to run it.",
        "引擎导入后的模型：**节点**是算子，**边**是带形状的张量。把鼠标移到节点上查看属性，"
        "用滚轮缩放。按 → 开始运行。"};
    lessons::LessonStep run;
    run.phase = "execute";
    run.title = {"Run on seeded input", "在随机输入上运行"};
    run.text = {"Each step runs one node on seeded random input (uniform in [−1, 1)). Hover an "
                "edge to see the tensor's values: summary, histogram and a heat map of a 2-D "
                "slice. **End** jumps to the finished run.",
                "每一步在随机输入（[−1, 1) 均匀分布）上执行一个节点。把鼠标移到边上查看张量的数值："
                "统计量、直方图和一个二维切片的热力图。按 **End** 跳到运行结束。"};
    l.steps = {graph, run};
    return generated(std::move(l));
}

LessonLibrary::Opened LessonLibrary::askForModel(QWidget* parent, QSettings& s,
                                                 const QString& title,
                                                 Opened (LessonLibrary::*add)(const QString&)) {
    // The model folder used last; the lesson added by `add`; a message box if it is refused.
    const QString dir = s.value(QStringLiteral("files/modelDir"), QDir::homePath()).toString();
    const QString path =
        QFileDialog::getOpenFileName(parent, title, dir, tr("ONNX models (*.onnx);;All files (*)"));
    if (path.isEmpty())
        return {};
    s.setValue(QStringLiteral("files/modelDir"), QFileInfo(path).absolutePath());
    Opened opened = (this->*add)(path);
    if (!opened.error.isEmpty())
        QMessageBox::warning(parent, title, opened.error);
    return opened;
}

LessonLibrary::Opened LessonLibrary::openModel(QWidget* parent, QSettings& s) {
    return askForModel(parent, s, tr("Open Model"), &LessonLibrary::addModel);
}

LessonLibrary::Opened LessonLibrary::addModel(const QString& path) {
    lessons::LessonLoad load = modelLesson(path, m_ctx.labs);
    // Import it now (drawn, not run), so a file the engine cannot read is refused here.
    try {
        const lessons::Lab* lab = m_ctx.labs.find(load.lesson->labId);
        (void)lab->run(load.lesson->params);
    } catch (const std::exception& e) {
        return {path, QString(),
                tr("The model %1 cannot be shown:\n%2")
                    .arg(QDir::toNativeSeparators(path), qs(e.what()))};
    }
    if (!m_models.contains(path))
        m_models << path;
    const std::string id = load.lesson->id;
    add(load);
    return {path, qs(id), QString()};
}

lessons::LessonLoad LessonLibrary::optimizerLesson(const QString& path,
                                                   const lessons::LabRegistry& labs) {
    // 1. The graph-optimizer Lab on the file with the O3 pipeline.
    // 2. Run it once: its phases are the input graph and each pass that changed the graph.
    // 3. One step per phase, the pass's name as its heading.
    const QString abs = QFileInfo(path).absoluteFilePath();
    const QString name = QFileInfo(path).fileName();
    lessons::Lesson l;
    l.id = "model-opt:" + abs.toStdString();
    l.title = {name.toStdString() + " — graph optimizer (O3)",
               name.toStdString() + " —— 图优化器（O3）"};
    l.partId = "your-models";
    l.chapterId = "opened-models";
    l.part = {"Your models", "你的模型"};
    l.chapter = {"Opened models", "已打开的模型"};
    l.order = 1001;
    l.labId = "graph-optimizer";
    l.file = path.toStdString();
    l.user = true;
    const lessons::Lab* lab = labs.find(l.labId);
    if (!lab)
        throw std::runtime_error("the graph-optimizer Lab is not built in");
    l.params = lessons::defaults(lab->params());
    l.params.set("model", std::string("onnx-file"));
    l.params.set("file", abs.toStdString());
    l.params.set("pipeline", std::string("O3"));
    const auto run = lab->run(l.params);
    for (const lessons::Phase& ph : run->phases()) {
        lessons::LessonStep s;
        s.phase = ph.name;
        if (ph.name == "input") {
            s.title = {"The model as imported", "导入后的模型"};
            s.text = {
                "Your model before any pass. The table holds its cost: **nodes**, "
                "**kernels** launched, **bytes** moved between kernels and **peak "
                "memory**. Press → to run the O3 pipeline one pass at a time.",
                "任何 pass 之前的模型。表格给出它的代价：**节点数**、启动的 **kernel 数**、"
                "kernel 之间搬运的**字节数**和**峰值内存**。按 → 逐个运行 O3 流水线的 pass。"};
        } else {
            s.title = {"Pass: " + ph.name, "Pass：" + ph.name};
            s.text = {
                "What **" + ph.name +
                    "** changed: removed nodes are red at their old place, new ones green, "
                    "merged ones inside a hull; the rewrite log under the table names each "
                    "rule. Hover a node for its facts.",
                "**" + ph.name +
                    "** 改变了什么：被删除的节点以红色留在原位，新节点为绿色，合并的节点"
                    "被包在一个外框里；表格下方的改写日志写出每条规则。把鼠标移到节点上查看详情。"};
        }
        l.steps.push_back(std::move(s));
    }
    return generated(std::move(l));
}

LessonLibrary::Opened LessonLibrary::optimizeModel(QWidget* parent, QSettings& s) {
    return askForModel(parent, s, tr("Optimize Model"), &LessonLibrary::addOptimizedModel);
}

LessonLibrary::Opened LessonLibrary::addOptimizedModel(const QString& path) {
    lessons::LessonLoad load;
    try {
        load = optimizerLesson(path, m_ctx.labs);
    } catch (const std::exception& e) {
        return {path, QString(),
                tr("The model %1 cannot be optimized:\n%2")
                    .arg(QDir::toNativeSeparators(path), qs(e.what()))};
    }
    if (!m_optimized.contains(path))
        m_optimized << path;
    const std::string id = load.lesson->id;
    add(load);
    return {path, qs(id), QString()};
}

QString LessonLibrary::reload() {
    m_ctx.reloadLessons();
    for (const QString& file : std::as_const(m_files))
        add(lessons::loadLessonFile(file.toStdString(), m_ctx.labs));
    for (const QString& model : std::as_const(m_models))
        add(modelLesson(model, m_ctx.labs));
    for (const QString& model : std::as_const(m_optimized)) {
        try {
            add(optimizerLesson(model, m_ctx.labs));
        } catch (const std::exception&) {
            // The file changed on disk and no longer loads: it drops out of the catalog.
        }
    }

    const int loaded = static_cast<int>(m_ctx.catalog.lessons().size());
    const int broken = static_cast<int>(m_ctx.catalog.broken().size());
    if (broken > 0)
        return tr("Reloaded %n lesson(s); %1 file(s) have errors (see the navigator).", nullptr,
                  loaded)
            .arg(broken);
    return tr("Reloaded %n lesson(s).", nullptr, loaded);
}

} // namespace aisys::app
