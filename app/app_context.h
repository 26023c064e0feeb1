// Where things live (assets, the user's lessons and data, the settings) and the language machinery.
#pragma once

#include "lessons/lab_registry.h"
#include "lessons/lesson_loader.h"
#include "lessons/text.h"

#include <QSettings>
#include <QString>
#include <QStringList>
#include <memory>

class QCoreApplication;
class QTranslator;

namespace aisys::app {

/// Folders the lab reads and writes.
struct AppPaths {
    QString assetsDir;      ///< built-in assets (lessons/, i18n/, icons/)
    QString userLessonsDir; ///< $XDG_DATA_HOME/aisyslab/lessons — instructors' own lessons
    QString dataDir;        ///< $XDG_DATA_HOME/aisyslab — annotations and other user data
    /// Finds the assets next to the installed binary (../share/aisyslab), else the source tree;
    /// $AISYSLAB_ASSETS overrides both. Creates the user folders if missing.
    static AppPaths detect();
    /// Built-in lessons first, then the user's folder (which overrides by id).
    QStringList lessonFolders() const;
};

/// Everything the GUI and the CLI share: paths, Labs and the lesson catalog.
struct AppContext {
    AppPaths paths;
    lessons::LabRegistry labs = lessons::LabRegistry::builtin();
    lessons::LessonCatalog catalog;
    /// Rescans the lesson folders. Without `dryRun` the Labs are not run (fast; the GUI's
    /// start checks parameter combinations in the background, see MainWindow).
    void reloadLessons(bool dryRun = true);
};

/// The lab's settings (window, view, session, export folders): QSettings "aisyslab"/"aisyslab".
QSettings appSettings();

/// The language of the system locale (Chinese for zh_*, else English).
lessons::Lang systemLanguage();

/// Installs the translator for `lang` (removes it for English). Keeps one translator alive.
void installTranslator(QCoreApplication& app, lessons::Lang lang);

} // namespace aisys::app
