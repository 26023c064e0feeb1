// Paths (assets, user lessons, data), the settings store, lesson catalog loading and translators.
#include "app/app_context.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QStandardPaths>
#include <QTranslator>
#include <memory>

namespace aisys::app {

AppPaths AppPaths::detect() {
    AppPaths p;
    const QString env = qEnvironmentVariable("AISYSLAB_ASSETS");
    const QString installed =
        QDir(QCoreApplication::applicationDirPath()).absoluteFilePath("../share/aisyslab");
    if (!env.isEmpty())
        p.assetsDir = QDir(env).absolutePath();
    else if (QDir(installed).exists("lessons"))
        p.assetsDir = QDir(installed).canonicalPath();
    else
        p.assetsDir = QStringLiteral(AISYS_SOURCE_ASSETS);
    QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (data.isEmpty())
        data = QDir::homePath() + "/.local/share";
    p.dataDir = data + "/aisyslab";
    p.userLessonsDir = p.dataDir + "/lessons";
    QDir().mkpath(p.userLessonsDir); // failure is fine: the folder is then simply empty
    return p;
}

QStringList AppPaths::lessonFolders() const {
    return {assetsDir + "/lessons", userLessonsDir};
}

void AppContext::reloadLessons(bool dryRun) {
    std::vector<std::string> folders;
    for (const auto& f : paths.lessonFolders())
        folders.push_back(f.toStdString());
    catalog = lessons::scanLessonFolders(folders, labs, dryRun);
}

QSettings appSettings() {
    return QSettings(QStringLiteral("aisyslab"), QStringLiteral("aisyslab"));
}

lessons::Lang systemLanguage() {
    return QLocale::system().language() == QLocale::Chinese ? lessons::Lang::Zh : lessons::Lang::En;
}

void installTranslator(QCoreApplication& app, lessons::Lang lang) {
    static std::unique_ptr<QTranslator> ours, qt;
    if (ours)
        app.removeTranslator(ours.get());
    if (qt)
        app.removeTranslator(qt.get());
    ours.reset();
    qt.reset();
    if (lang != lessons::Lang::Zh)
        return;
    ours = std::make_unique<QTranslator>();
    if (ours->load(QStringLiteral(":/i18n/aisyslab_zh_CN.qm")))
        app.installTranslator(ours.get());
    // Qt's own strings (standard dialogs) when the system has them.
    qt = std::make_unique<QTranslator>();
    if (qt->load(QStringLiteral("qtbase_zh_CN"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt.get());
}

} // namespace aisys::app
