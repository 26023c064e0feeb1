// The window's side of the lesson catalog: starting a lesson, opening a file, reloading.
#pragma once

#include "app/app_context.h"
#include "lessons/lesson_player.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <memory>

class QSettings;
class QWidget;

namespace aisys::app {

/// Starts lessons of the catalog by id, adds lesson files opened by hand (File ▸ Open Lesson
/// File) and keeps those in the catalog when the lesson folders are rescanned.
class LessonLibrary {
    Q_DECLARE_TR_FUNCTIONS(LessonLibrary)

public:
    /// What start() made of a lesson id: a player, or a message saying why there is none.
    struct Started {
        std::unique_ptr<lessons::LessonPlayer> player;
        QString error;      ///< "" when `player` is set
        int errorMs = 6000; ///< how long the status bar shows `error`
    };
    /// A file opened with open(): its path and its lesson's id ("" when none was opened).
    struct Opened {
        QString path;
        QString lessonId;
        QString error; ///< why nothing was opened ("" when opened or cancelled)
    };

    explicit LessonLibrary(AppContext& ctx) : m_ctx(ctx) {}

    /// Finds lesson `id` and its Lab and runs it. An unknown id, a broken file with that id, a
    /// missing Lab or a Lab that refuses the lesson's parameters give a message instead.
    Started start(const QString& id) const;
    /// Asks for a lesson file (starting in the folder used last) and adds it to the catalog. A
    /// file with errors is not added; its errors are shown in a message box.
    Opened open(QWidget* parent, QSettings& settings);
    /// Asks for an ONNX model and adds a two-step lesson for it (its graph, then its execution
    /// on seeded input) under "Your models". A model the engine cannot take is not added; a
    /// message box says why (file, node or op, what was expected).
    Opened openModel(QWidget* parent, QSettings& settings);
    /// The same without the dialog: adds the lesson for the model at `path`.
    Opened addModel(const QString& path);
    /// Asks for an ONNX model and adds a lesson that runs the graph compiler's O3 pipeline on
    /// it pass by pass (the graph-optimizer Lab): one step per pass that changed the graph.
    Opened optimizeModel(QWidget* parent, QSettings& settings);
    /// The same without the dialog.
    Opened addOptimizedModel(const QString& path);
    /// The pass-by-pass lesson for a model file; runs the pipeline once to know which passes
    /// change it. Throws std::exception (with the engine's message) when the model is refused.
    static lessons::LessonLoad optimizerLesson(const QString& path,
                                               const lessons::LabRegistry& labs);
    /// The lesson shown for a model file (not yet checked against the engine): step 1 its
    /// graph, step 2 its execution on seeded input. Also used by `aisyslab export --model`.
    static lessons::LessonLoad modelLesson(const QString& path, const lessons::LabRegistry& labs);
    /// Rescans the lesson folders and reads the opened files again; returns what the status bar
    /// should say ("Reloaded N lesson(s)…").
    QString reload();

private:
    /// Asks for an ONNX file (starting in the model folder used last) and adds it with `add`.
    Opened askForModel(QWidget* parent, QSettings& settings, const QString& title,
                       Opened (LessonLibrary::*add)(const QString&));
    /// Adds `load` to the catalog, replacing an entry with the same lesson id or file.
    void add(const lessons::LessonLoad& load);

    AppContext& m_ctx;

    QStringList m_files;     ///< opened by hand, kept across reloads
    QStringList m_models;    ///< models opened by hand, kept across reloads
    QStringList m_optimized; ///< models opened in the graph optimizer, kept across reloads
};

} // namespace aisys::app
