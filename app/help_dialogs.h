// The Help menu's dialogs: About AISys Lab and Keyboard Shortcuts.
#pragma once

#include <QCoreApplication>

class QWidget;

namespace aisys::app {

/// The dialogs behind Help ▸ About and Help ▸ Keyboard Shortcuts (modal, over `parent`).
class HelpDialogs {
    Q_DECLARE_TR_FUNCTIONS(HelpDialogs)

public:
    /// The version and what the lab is for.
    static void showAbout(QWidget* parent);
    /// Every shortcut, anywhere and in presentation mode, as two tables.
    static void showShortcuts(QWidget* parent);
};

} // namespace aisys::app
