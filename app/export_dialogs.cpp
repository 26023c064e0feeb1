// Exporting pictures: one frame to a file, and the Export Current View / Export All Steps dialogs.
#include "app/export_dialogs.h"

#include "app/slide_deck.h"

#include "viz/export/exporter.h"

#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <exception>
#include <string>

namespace aisys::app {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// The folder exports start in: the last one used, else Pictures, else home.
QString exportFolder(const QSettings& s) {
    QString dir = s.value(QStringLiteral("export/dir")).toString();
    if (dir.isEmpty() || !QDir(dir).exists())
        dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (dir.isEmpty() || !QDir(dir).exists())
        dir = QDir::homePath();
    return dir;
}

/// A lesson id made safe for a file name.
QString fileStem(const QString& id) {
    QString out;
    for (QChar ch : id)
        out += (ch.isLetterOrNumber() || ch == u'-' || ch == u'_') ? ch : u'_';
    return out.isEmpty() ? QStringLiteral("lesson") : out;
}

/// "<lesson title> — <frame+1>/<count>", the title written into exported files.
std::string exportTitle(const lessons::LessonPlayer& player, int frame, lessons::Lang lang) {
    return player.lesson().title.get(lang) + " — " + std::to_string(frame + 1) + "/" +
           std::to_string(player.frameCount());
}

} // namespace

QString ExportDialogs::stepFileName(const QString& lessonId, int frame, int count,
                                    const QString& ext) {
    const int digits = std::max(2, static_cast<int>(QString::number(count).size()));
    return QStringLiteral("%1-step-%2.%3")
        .arg(fileStem(lessonId))
        .arg(frame + 1, digits, 10, QLatin1Char('0'))
        .arg(ext);
}

QString ExportDialogs::exportFrame(const lessons::LessonPlayer& player, int frame,
                                   lessons::Lang lang, const QString& path, float pngScale) {
    const QString ext = QFileInfo(path).suffix().toLower();
    viz::ExportFormat format{};
    if (!viz::parseExportFormat(ext.toStdString(), format))
        return tr("Cannot export to \"%1\": the file name must end in .svg, .pdf or .png.")
            .arg(QFileInfo(path).fileName());
    viz::ExportOptions opt;
    opt.format = format;
    opt.scale = pngScale;
    opt.title = exportTitle(player, frame, lang);
    try {
        const viz::Scene scene = player.scene(frame, lessons::DrawOptions{lang, viz::Theme::Light});
        return qs(viz::exportScene(scene, path.toStdString(), opt));
    } catch (const std::exception& e) {
        return qs(e.what());
    }
}

QString ExportDialogs::exportCurrentView(QWidget* parent, const lessons::LessonPlayer& player,
                                         int frame, lessons::Lang lang, QSettings& s) {
    // 1. A save dialog with the three formats and, for PNG, a pixel scale.
    const QString dir = exportFolder(s);
    const QString svg = tr("SVG image (*.svg)");
    const QString pdf = tr("PDF document (*.pdf)");
    const QString png = tr("PNG image (*.png)");
    const QStringList exts{QStringLiteral("svg"), QStringLiteral("pdf"), QStringLiteral("png")};
    const QStringList filters{svg, pdf, png};
    QString ext = s.value(QStringLiteral("export/format"), QStringLiteral("svg")).toString();
    if (!exts.contains(ext))
        ext = exts.front();

    QFileDialog dialog(parent, tr("Export Current View"));
    dialog.setOption(QFileDialog::DontUseNativeDialog); // the PNG scale row needs our own dialog
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setNameFilters(filters);
    dialog.selectNameFilter(filters[exts.indexOf(ext)]);
    dialog.setDefaultSuffix(ext);
    dialog.setDirectory(dir);
    dialog.selectFile(stepFileName(qs(player.lesson().id), frame, player.frameCount(), ext));

    auto* scaleLabel = new QLabel(tr("PNG scale:"), &dialog);
    auto* scaleBox = new QComboBox(&dialog);
    for (int k : {1, 2, 4})
        scaleBox->addItem(tr("%1× (%2)")
                              .arg(k)
                              .arg(k == 1   ? tr("screen")
                                   : k == 2 ? tr("sharp slides")
                                            : tr("print")),
                          k);
    scaleBox->setCurrentIndex(std::max(0, scaleBox->findData(s.value("export/scale", 2).toInt())));
    scaleLabel->setBuddy(scaleBox);
    if (auto* grid = qobject_cast<QGridLayout*>(dialog.layout())) {
        const int row = grid->rowCount();
        grid->addWidget(scaleLabel, row, 0);
        grid->addWidget(scaleBox, row, 1);
    }
    auto onFilter = [&](const QString& filter) {
        const QString e = exts.value(filters.indexOf(filter), exts.front());
        scaleBox->setEnabled(e == u"png");
        scaleLabel->setEnabled(e == u"png");
        dialog.setDefaultSuffix(e);
        // Keep the typed name, change its extension to the chosen format.
        if (auto* edit = dialog.findChild<QLineEdit*>(QStringLiteral("fileNameEdit"))) {
            QString name = edit->text();
            const QString suffix = QFileInfo(name).suffix().toLower();
            if (exts.contains(suffix))
                name.chop(suffix.size() + 1);
            if (!name.isEmpty())
                edit->setText(name + u'.' + e);
        }
    };
    QObject::connect(&dialog, &QFileDialog::filterSelected, &dialog, onFilter);
    onFilter(dialog.selectedNameFilter());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};

    // 2. The extension decides the format; a name without one gets the selected filter's.
    QString path = dialog.selectedFiles().front();
    QString chosen = QFileInfo(path).suffix().toLower();
    if (!exts.contains(chosen)) {
        chosen = exts.value(filters.indexOf(dialog.selectedNameFilter()), exts.front());
        path += u'.' + chosen;
    }
    const int scale = scaleBox->currentData().toInt();
    s.setValue(QStringLiteral("export/dir"), QFileInfo(path).absolutePath());
    s.setValue(QStringLiteral("export/format"), chosen);
    s.setValue(QStringLiteral("export/scale"), scale);

    // 3. Write it; an error is shown where the user is looking, success in the status bar.
    const QString error = exportFrame(player, frame, lang, path, static_cast<float>(scale));
    if (!error.isEmpty()) {
        QMessageBox::warning(parent, tr("Export Current View"), error);
        return {};
    }
    return tr("Exported %1.").arg(QDir::toNativeSeparators(path));
}

QString ExportDialogs::exportAllSteps(QWidget* parent, const lessons::LessonPlayer& player,
                                      lessons::Lang lang, QSettings& s) {
    // 1. Format (PNG at a chosen scale) and folder.
    const QStringList items{tr("SVG (vector)"), tr("PDF (vector)"), tr("PNG, 1×"), tr("PNG, 2×"),
                            tr("PNG, 4×")};
    const QStringList exts{QStringLiteral("svg"), QStringLiteral("pdf"), QStringLiteral("png"),
                           QStringLiteral("png"), QStringLiteral("png")};
    const float scales[] = {1, 1, 1, 2, 4};
    bool ok = false;
    const QString item = QInputDialog::getItem(
        parent, tr("Export All Steps"), tr("Export every step of this lesson as:"), items,
        std::clamp(s.value(QStringLiteral("export/allFormat"), 0).toInt(), 0, 4), false, &ok);
    if (!ok)
        return {};
    const int choice = std::max(0, static_cast<int>(items.indexOf(item)));
    const QString dir = QFileDialog::getExistingDirectory(parent, tr("Export All Steps to Folder"),
                                                          exportFolder(s));
    if (dir.isEmpty())
        return {};
    s.setValue(QStringLiteral("export/allFormat"), choice);
    s.setValue(QStringLiteral("export/dir"), dir);

    // 2. Never replace files without asking.
    const int count = player.frameCount();
    const QString id = qs(player.lesson().id);
    QStringList paths;
    int existing = 0;
    for (int f = 0; f < count; ++f) {
        paths << QDir(dir).filePath(stepFileName(id, f, count, exts[choice]));
        existing += QFileInfo::exists(paths.back()) ? 1 : 0;
    }
    if (existing > 0 &&
        QMessageBox::question(
            parent, tr("Export All Steps"),
            tr("%n file(s) with these names already exist in %1. Replace them?", nullptr, existing)
                .arg(QDir::toNativeSeparators(dir))) != QMessageBox::Yes)
        return {};

    // 3. One file per frame, light theme, with a progress dialog that can cancel.
    QProgressDialog progress(tr("Exporting steps…"), tr("Cancel"), 0, count, parent);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(400);
    viz::ExportOptions opt;
    viz::parseExportFormat(exts[choice].toStdString(), opt.format);
    opt.scale = scales[choice];
    int done = 0;
    for (int f = 0; f < count && !progress.wasCanceled(); ++f) {
        progress.setValue(f);
        std::string error;
        opt.title = exportTitle(player, f, lang);
        try {
            const viz::Scene scene = player.scene(f, lessons::DrawOptions{lang, viz::Theme::Light});
            error = viz::exportScene(scene, paths[f].toStdString(), opt);
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (!error.empty()) {
            progress.cancel();
            QMessageBox::warning(parent, tr("Export All Steps"),
                                 tr("Step %1 could not be exported: %2").arg(f + 1).arg(qs(error)));
            break;
        }
        ++done;
    }
    progress.setValue(count);
    return tr("Exported %n step(s) to %1.", nullptr, done).arg(QDir::toNativeSeparators(dir));
}

QString ExportDialogs::exportSlides(QWidget* parent, const lessons::LessonPlayer& player,
                                    lessons::Lang lang, QSettings& s) {
    // 1. Slides of a projector's size, or a handout. 2. The file. 3. Write it.
    const QStringList items{tr("Slides, 1280×720 (16:9)"), tr("Slides, 1920×1080 (16:9)"),
                            tr("Slides, 1024×768 (4:3)"), tr("Handout (A4, picture and text)")};
    const QSize sizes[] = {{1280, 720}, {1920, 1080}, {1024, 768}, {794, 1123}};
    bool ok = false;
    const QString item = QInputDialog::getItem(
        parent, tr("Export Lesson as Slides"), tr("Export this lesson, one page per step, as:"),
        items, std::clamp(s.value(QStringLiteral("export/slidesKind"), 0).toInt(), 0, 3), false,
        &ok);
    if (!ok)
        return {};
    const int choice = std::max(0, static_cast<int>(items.indexOf(item)));
    const QString suggested =
        QDir(exportFolder(s))
            .filePath(qs(player.lesson().id) + (choice == 3 ? "-handout.pdf" : "-slides.pdf"));
    const QString path = QFileDialog::getSaveFileName(parent, tr("Export Lesson as Slides"),
                                                      suggested, tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return {};
    s.setValue(QStringLiteral("export/slidesKind"), choice);
    s.setValue(QStringLiteral("export/dir"), QFileInfo(path).absolutePath());
    SlideOptions opt;
    opt.handout = choice == 3;
    opt.size = sizes[choice];
    opt.lang = lang;
    SlideDeckResult r;
    try {
        r = writeSlideDeck(player, path.toStdString(), opt);
    } catch (const std::exception& e) {
        r.error = e.what();
    }
    if (!r.error.empty()) {
        QMessageBox::warning(parent, tr("Export Lesson as Slides"), qs(r.error));
        return {};
    }
    return tr("Exported %n page(s) to %1.", nullptr, r.pages).arg(QDir::toNativeSeparators(path));
}

} // namespace aisys::app
