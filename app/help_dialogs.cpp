// The Help menu's dialogs: About AISys Lab and Keyboard Shortcuts.
#include "app/help_dialogs.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QKeySequence>
#include <QLabel>
#include <QMessageBox>
#include <QStringList>
#include <QVBoxLayout>

#include <initializer_list>

#ifndef AISYS_VERSION
#define AISYS_VERSION "dev"
#endif

namespace aisys::app {

namespace {

QString keyText(const QKeySequence& k) {
    return k.toString(QKeySequence::NativeText);
}

} // namespace

void HelpDialogs::showAbout(QWidget* parent) {
    QMessageBox::about(
        parent, tr("About AISys Lab"),
        tr("<h3>AISys Lab %1</h3><p>An interactive lab for the course “AI Systems”: AI chips, "
           "AI compilers, inference engines, framework internals and large-model "
           "training.</p><p>Step through live pictures computed by real engine code, present "
           "them in a lecture, and export them for slides and handouts.</p>")
            .arg(QStringLiteral(AISYS_VERSION)));
}

void HelpDialogs::showShortcuts(QWidget* parent) {
    struct Row {
        QString keys;
        QString what;
    };
    const auto k = [](std::initializer_list<QKeySequence> seqs) {
        QStringList parts;
        for (const QKeySequence& s : seqs)
            parts << keyText(s).toHtmlEscaped();
        return parts.join(QStringLiteral(", "));
    };
    const Row general[] = {
        {k({Qt::Key_Right, Qt::Key_PageDown}), tr("Next step")},
        {k({Qt::Key_Left, Qt::Key_PageUp}), tr("Previous step")},
        {k({Qt::Key_Home, Qt::Key_End}), tr("First / last step")},
        {k({Qt::Key_Space}), tr("Play or pause (in presentation mode: next step)")},
        {k({QKeySequence(Qt::CTRL | Qt::Key_F)}), tr("Filter the lesson list")},
        {k({QKeySequence(Qt::CTRL | Qt::Key_O)}), tr("Open a lesson file")},
        {k({QKeySequence(Qt::CTRL | Qt::Key_R)}), tr("Reload lessons")},
        {k({QKeySequence(Qt::CTRL | Qt::Key_E)}), tr("Export the current view")},
        {k({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)}), tr("Export all steps")},
        {k({QKeySequence(Qt::CTRL | Qt::Key_0)}), tr("Fit the picture to the view")},
        {k({Qt::Key_F5}), tr("Start or leave presentation mode")},
        {k({QKeySequence(Qt::CTRL | Qt::Key_Q)}), tr("Quit")},
    };
    const Row presenting[] = {
        {k({Qt::Key_Escape, Qt::Key_F5}), tr("Leave presentation mode")},
        {k({Qt::Key_B, Qt::Key_Period}), tr("Blank the screen / show it again")},
        {k({Qt::Key_L}), tr("Laser pointer while held down")},
        {k({Qt::Key_P}), tr("Pen on / off (drawings are kept per step)")},
        {k({Qt::Key_C}), tr("Clear this step's drawings")},
        {k({Qt::Key_N}), tr("Show / hide the narrative strip")},
        {k({Qt::Key_O}), tr("Show / hide the parameter panel and legend")},
    };
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing='0' cellpadding='4'>")
                       .arg(tr("Anywhere").toHtmlEscaped());
    for (const Row& r : general)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(r.keys, r.what.toHtmlEscaped());
    html += QStringLiteral("</table><h3>%1</h3><table cellspacing='0' cellpadding='4'>")
                .arg(tr("In presentation mode").toHtmlEscaped());
    for (const Row& r : presenting)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(r.keys, r.what.toHtmlEscaped());
    html += QStringLiteral("</table><p>%1</p>")
                .arg(tr("Slide clickers send Page Up / Page Down, which step back and forward.")
                         .toHtmlEscaped());

    QDialog dialog(parent);
    dialog.setWindowTitle(tr("Keyboard Shortcuts"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* label = new QLabel(html, &dialog);
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    layout->addWidget(label);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.exec();
}

} // namespace aisys::app
