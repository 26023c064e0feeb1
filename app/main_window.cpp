// The main window: builds the shell, keeps every view on one frame, exports and presents.
#include "app/main_window.h"

#include "app/narrative_pane.h"
#include "app/navigator.h"
#include "app/presentation_strip.h"
#include "app/step_bar.h"
#include "app/viewport_widget.h"
#include "viz/exporter.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>

#ifndef AISYS_VERSION
#define AISYS_VERSION "dev"
#endif

namespace aisys::app {

namespace {

constexpr float kPresentationScales[] = {1.5f, 2.0f, 2.5f, 3.0f};

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QSettings settings() {
    return QSettings(QStringLiteral("aisyslab"), QStringLiteral("aisyslab"));
}

/// The dark interface palette (Fusion-style colours; readable text, visible focus).
QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1f, 0x21, 0x24), text(0xe8, 0xea, 0xed);
    const QColor disabled(0x80, 0x84, 0x8a), highlight(0x3d, 0x8b, 0xfd);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x36, 0x39, 0x3e));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x43, 0x48));
    p.setColor(QPalette::Mid, QColor(0x30, 0x33, 0x37));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xff));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x53, 0x58));
    return p;
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

/// "<lesson>-step-NN.<ext>" with NN 1-based and at least two digits.
QString stepFileName(const QString& id, int frame, int count, const QString& ext) {
    const int digits = std::max(2, static_cast<int>(QString::number(count).size()));
    return QStringLiteral("%1-step-%2.%3")
        .arg(fileStem(id))
        .arg(frame + 1, digits, 10, QLatin1Char('0'))
        .arg(ext);
}

QString keyText(const QKeySequence& k) {
    return k.toString(QKeySequence::NativeText);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Building the window
// ---------------------------------------------------------------------------------------------

MainWindow::MainWindow(AppContext& ctx, QWidget* parent)
    : QMainWindow(parent), m_ctx(ctx), m_annotations(ctx.paths.dataDir) {
    setObjectName(QStringLiteral("mainWindow"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    createWidgets();
    createActions();
    createMenus();
    loadSettings();
    retranslateUi();
    showFrame(false);
}

MainWindow::~MainWindow() {
    if (m_presenting)
        qApp->removeEventFilter(this);
}

void MainWindow::createWidgets() {
    // Centre: the viewport, with the presentation strip under it (hidden outside presentations).
    auto* central = new QWidget(this);
    auto* column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    m_viewport = new ViewportWidget(central);
    m_viewport->setFocusPolicy(Qt::StrongFocus);
    m_strip = new PresentationStrip(central);
    m_strip->hide();
    column->addWidget(m_viewport, 1);
    column->addWidget(m_strip);
    setCentralWidget(central);

    m_navigator = new Navigator(this);
    m_navigatorDock = new QDockWidget(this);
    m_navigatorDock->setObjectName(QStringLiteral("navigatorDock"));
    m_navigatorDock->setWidget(m_navigator);
    addDockWidget(Qt::LeftDockWidgetArea, m_navigatorDock);

    m_narrative = new NarrativePane(this);
    m_narrativeDock = new QDockWidget(this);
    m_narrativeDock->setObjectName(QStringLiteral("narrativeDock"));
    m_narrativeDock->setWidget(m_narrative);
    addDockWidget(Qt::RightDockWidgetArea, m_narrativeDock);

    m_stepBar = new StepBar(this);
    addToolBar(Qt::BottomToolBarArea, m_stepBar);

    // Status bar: hovered object on the left (messages replace it for a while), lesson and step
    // on the right.
    m_hoverLabel = new QLabel(this);
    m_lessonLabel = new QLabel(this);
    m_stepLabel = new QLabel(this);
    const int pad = fontMetrics().averageCharWidth();
    for (QLabel* l : {m_hoverLabel, m_lessonLabel, m_stepLabel})
        l->setContentsMargins(pad, 0, pad, 0);
    statusBar()->addWidget(m_hoverLabel, 1);
    statusBar()->addPermanentWidget(m_lessonLabel);
    statusBar()->addPermanentWidget(m_stepLabel);

    connect(m_navigator, &Navigator::lessonActivated, this, [this](const QString& id) {
        if (!openLesson(id))
            m_navigator->selectLesson(lessonId());
    });
    connect(m_narrative, &NarrativePane::stepActivated, this, [this](int step) {
        if (m_player)
            goToFrame(m_player->firstFrameOf(step));
    });
    connect(m_stepBar, &StepBar::frameRequested, this, &MainWindow::goToFrame);
    connect(m_viewport, &ViewportWidget::paramEdited, this, &MainWindow::onParamEdited);
    connect(m_viewport, &ViewportWidget::paramsReset, this, &MainWindow::onParamsReset);
    connect(m_viewport, &ViewportWidget::strokesChanged, this, &MainWindow::onStrokesChanged);
    connect(m_viewport, &ViewportWidget::hoveredChanged, this, &MainWindow::onHoveredChanged);
}

void MainWindow::createActions() {
    auto make = [this](QKeySequence key, auto slot) {
        auto* a = new QAction(this);
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_openFileAct = make(QKeySequence(Qt::CTRL | Qt::Key_O), &MainWindow::openLessonFile);
    m_reloadAct = make(QKeySequence(Qt::CTRL | Qt::Key_R), &MainWindow::reloadLessons);
    m_exportAct = make(QKeySequence(Qt::CTRL | Qt::Key_E), &MainWindow::exportCurrentView);
    m_exportAllAct =
        make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), &MainWindow::exportAllSteps);
    m_quitAct = make(QKeySequence(Qt::CTRL | Qt::Key_Q), &QWidget::close);
    m_quitAct->setMenuRole(QAction::QuitRole);

    m_presentAct = make(QKeySequence(Qt::Key_F5), [this] { setPresentation(!m_presenting); });
    m_presentAct->setCheckable(true);
    auto* themes = new QActionGroup(this);
    m_lightAct = make({}, [this] { setTheme(viz::Theme::Light); });
    m_darkAct = make({}, [this] { setTheme(viz::Theme::Dark); });
    for (QAction* a : {m_lightAct, m_darkAct}) {
        a->setCheckable(true);
        themes->addAction(a);
    }
    m_fitAct = make(QKeySequence(Qt::CTRL | Qt::Key_0), [this] { m_viewport->fitToView(); });
    m_animationsAct = make({}, [this] { setAnimationsEnabled(m_animationsAct->isChecked()); });
    m_animationsAct->setCheckable(true);
    // clearStrokes() emits strokesChanged(), which saves.
    m_clearDrawingsAct = make({}, [this] { m_viewport->clearStrokes(); });
    m_scaleGroup = new QActionGroup(this);
    for (float s : kPresentationScales) {
        QAction* a = make({}, [this, s] { setPresentationScale(s); });
        a->setCheckable(true);
        a->setData(s);
        m_scaleGroup->addAction(a);
    }

    auto* languages = new QActionGroup(this);
    m_englishAct = make({}, [this] { setLanguage(lessons::Lang::En); });
    m_chineseAct = make({}, [this] { setLanguage(lessons::Lang::Zh); });
    for (QAction* a : {m_englishAct, m_chineseAct}) {
        a->setCheckable(true);
        languages->addAction(a);
    }
    m_aboutAct = make({}, &MainWindow::showAbout);
    m_aboutAct->setMenuRole(QAction::AboutRole);
    m_shortcutsAct = make(QKeySequence::HelpContents, &MainWindow::showShortcuts);

    // Window-level keys: added to the window itself so they work with every bar hidden.
    m_nextAct = make({}, [this] { step(+1); });
    m_nextAct->setShortcuts({QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_PageDown)});
    m_prevAct = make({}, [this] { step(-1); });
    m_prevAct->setShortcuts({QKeySequence(Qt::Key_Left), QKeySequence(Qt::Key_PageUp)});
    m_firstAct = make(QKeySequence(Qt::Key_Home), [this] { goToFrame(0); });
    m_lastAct = make(QKeySequence(Qt::Key_End), [this] { goToFrame(frameCount() - 1); });
    m_spaceAct = make(QKeySequence(Qt::Key_Space), &MainWindow::onSpaceKey);
    m_filterAct = make(QKeySequence(Qt::CTRL | Qt::Key_F), [this] {
        if (m_presenting)
            return;
        m_navigatorDock->show();
        m_navigatorDock->raise();
        m_navigator->focusFilter();
    });
    // Presentation-only keys (enabled while presenting). "." is what many clickers send for
    // "blank screen".
    m_leaveAct = make(QKeySequence(Qt::Key_Escape), [this] { setPresentation(false); });
    m_blankAct = make({}, [this] { m_viewport->setBlanked(m_blankAct->isChecked()); });
    m_blankAct->setCheckable(true);
    m_blankAct->setShortcuts({QKeySequence(Qt::Key_B), QKeySequence(Qt::Key_Period)});
    m_penAct =
        make(QKeySequence(Qt::Key_P), [this] { m_viewport->setPenMode(m_penAct->isChecked()); });
    m_penAct->setCheckable(true);
    m_clearKeyAct = make(QKeySequence(Qt::Key_C), [this] { m_viewport->clearStrokes(); });
    m_overlaysAct = make(QKeySequence(Qt::Key_O), [this] {
        m_overlaysShown = !m_overlaysShown;
        m_viewport->setOverlaysVisible(m_overlaysShown);
    });
    m_stripAct = make(QKeySequence(Qt::Key_N), [this] {
        m_stripWanted = !m_stripWanted;
        m_strip->setVisible(m_presenting && m_stripWanted && m_player);
        settings().setValue(QStringLiteral("presentation/strip"), m_stripWanted);
    });
    for (QAction* a : {m_nextAct, m_prevAct, m_firstAct, m_lastAct, m_spaceAct, m_filterAct,
                       m_leaveAct, m_blankAct, m_penAct, m_clearKeyAct, m_stripAct, m_overlaysAct,
                       m_presentAct, m_exportAct, m_openFileAct, m_quitAct})
        addAction(a);
    for (QAction* a : {m_leaveAct, m_blankAct, m_penAct, m_clearKeyAct, m_stripAct, m_overlaysAct})
        a->setEnabled(false);
}

void MainWindow::createMenus() {
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openFileAct);
    m_fileMenu->addAction(m_reloadAct);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportAct);
    m_fileMenu->addAction(m_exportAllAct);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAct);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_presentAct);
    m_scaleMenu = m_viewMenu->addMenu(QString());
    m_scaleMenu->addActions(m_scaleGroup->actions());
    m_viewMenu->addSeparator();
    m_themeMenu = m_viewMenu->addMenu(QString());
    m_themeMenu->addAction(m_lightAct);
    m_themeMenu->addAction(m_darkAct);
    m_viewMenu->addAction(m_fitAct);
    m_viewMenu->addAction(m_animationsAct);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_narrativeDock->toggleViewAction());
    m_viewMenu->addAction(m_navigatorDock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_clearDrawingsAct);

    m_languageMenu = menuBar()->addMenu(QString());
    m_languageMenu->addAction(m_englishAct);
    m_languageMenu->addAction(m_chineseAct);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_shortcutsAct);
    m_helpMenu->addSeparator();
    m_helpMenu->addAction(m_aboutAct);
}

void MainWindow::retranslateUi() {
    m_fileMenu->setTitle(tr("&File"));
    m_openFileAct->setText(tr("&Open Lesson File…"));
    m_reloadAct->setText(tr("&Reload Lessons"));
    m_exportAct->setText(tr("&Export Current View…"));
    m_exportAllAct->setText(tr("Export &All Steps…"));
    m_quitAct->setText(tr("&Quit"));

    m_viewMenu->setTitle(tr("&View"));
    m_presentAct->setText(tr("&Presentation Mode"));
    m_scaleMenu->setTitle(tr("Presentation &Scale"));
    for (QAction* a : m_scaleGroup->actions())
        a->setText(tr("%1×").arg(QLocale().toString(a->data().toFloat())));
    m_themeMenu->setTitle(tr("&Theme"));
    m_lightAct->setText(tr("&Light"));
    m_darkAct->setText(tr("&Dark"));
    m_fitAct->setText(tr("&Fit View"));
    m_animationsAct->setText(tr("&Animations"));
    // A dock's toggle action takes the dock's title, so set the titles first.
    m_narrativeDock->setWindowTitle(tr("Narrative"));
    m_navigatorDock->setWindowTitle(tr("Lessons"));
    m_narrativeDock->toggleViewAction()->setText(tr("Show &Narrative"));
    m_navigatorDock->toggleViewAction()->setText(tr("Show Na&vigator"));
    m_clearDrawingsAct->setText(tr("&Clear Drawings on This Step"));

    m_languageMenu->setTitle(tr("&Language"));
    // Each language is named in itself, so it can be found whatever the current language is.
    m_englishAct->setText(QStringLiteral("English"));
    m_chineseAct->setText(QStringLiteral("中文"));

    m_helpMenu->setTitle(tr("&Help"));
    m_shortcutsAct->setText(tr("&Keyboard Shortcuts"));
    m_aboutAct->setText(tr("&About AISys Lab"));

    m_nextAct->setText(tr("Next Step"));
    m_prevAct->setText(tr("Previous Step"));
    m_firstAct->setText(tr("First Step"));
    m_lastAct->setText(tr("Last Step"));
    m_spaceAct->setText(tr("Play or Pause"));
    m_filterAct->setText(tr("Filter Lessons"));
    m_leaveAct->setText(tr("Leave Presentation"));
    m_blankAct->setText(tr("Blank Screen"));
    m_penAct->setText(tr("Pen"));
    m_clearKeyAct->setText(tr("Clear Drawings"));
    m_stripAct->setText(tr("Narrative Strip"));
    m_overlaysAct->setText(tr("Overlays"));
    updateStatus();
    updateWindowTitle();
}

void MainWindow::loadSettings() {
    QSettings s = settings();
    setTheme(s.value(QStringLiteral("view/theme")).toString() == u"dark" ? viz::Theme::Dark
                                                                         : viz::Theme::Light);
    lessons::Lang lang = systemLanguage();
    const QString code = s.value(QStringLiteral("language")).toString();
    if (!code.isEmpty() && !lessons::parseLang(code.toStdString(), lang))
        lang = systemLanguage();
    setLanguage(lang);
    setAnimationsEnabled(s.value(QStringLiteral("view/animations"), true).toBool());
    setPresentationScale(s.value(QStringLiteral("presentation/scale"), 2.0).toFloat());
    m_stripWanted = s.value(QStringLiteral("presentation/strip"), true).toBool();
    m_stepBar->setSpeed(s.value(QStringLiteral("view/speed"), 1.0).toDouble());

    // Sizes in em so they follow the font and DPI: ~1280×800 and ~280 px docks at 96 dpi.
    const int em = fontMetrics().height();
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        QSize size(1280, 800);
        if (const QScreen* scr = screen()) {
            const QRect avail = scr->availableGeometry();
            size = size.boundedTo(avail.size() * 0.92);
            move(avail.center() - QPoint(size.width() / 2, size.height() / 2));
        }
        resize(size);
    }
    if (!restoreState(s.value(QStringLiteral("window/state")).toByteArray())) {
        // Dock sizes only stick once the window has its final size: after the first show.
        QTimer::singleShot(0, this, [this, em] {
            resizeDocks({m_navigatorDock, m_narrativeDock}, {em * 21, em * 25}, Qt::Horizontal);
        });
    } else {
        if (!s.value(QStringLiteral("view/navigator"), true).toBool())
            m_navigatorDock->hide();
        if (!s.value(QStringLiteral("view/narrative"), true).toBool())
            m_narrativeDock->hide();
    }
}

void MainWindow::saveSettings() const {
    QSettings s = settings();
    s.setValue(QStringLiteral("window/geometry"), m_presenting ? m_savedGeometry : saveGeometry());
    s.setValue(QStringLiteral("window/state"), m_presenting ? m_savedState : saveState());
    s.setValue(QStringLiteral("view/navigator"),
               m_presenting ? m_savedNavigatorVisible : !m_navigatorDock->isHidden());
    s.setValue(QStringLiteral("view/narrative"),
               m_presenting ? m_savedNarrativeVisible : !m_narrativeDock->isHidden());
    s.setValue(QStringLiteral("view/theme"),
               m_theme == viz::Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light"));
    s.setValue(QStringLiteral("language"), QString::fromLatin1(lessons::langCode(m_lang)));
    s.setValue(QStringLiteral("view/animations"), m_animations);
    s.setValue(QStringLiteral("presentation/scale"), m_presentationScale);
    s.setValue(QStringLiteral("presentation/strip"), m_stripWanted);
    s.setValue(QStringLiteral("view/speed"), m_stepBar->speed());
    if (m_player) {
        s.setValue(QStringLiteral("session/lesson"), lessonId());
        s.setValue(QStringLiteral("session/frame"), m_frame);
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_stepBar->setPlaying(false);
    saveSettings();
    QMainWindow::closeEvent(event);
}

// ---------------------------------------------------------------------------------------------
// Lessons and frames
// ---------------------------------------------------------------------------------------------

int MainWindow::frameCount() const {
    return m_player ? m_player->frameCount() : 0;
}

QString MainWindow::lessonId() const {
    return m_player ? qs(m_player->lesson().id) : QString();
}

bool MainWindow::openLesson(const QString& id) {
    // 1. Find the lesson; a broken file with that id explains itself.
    const std::string sid = id.toStdString();
    const lessons::Lesson* lesson = m_ctx.catalog.find(sid);
    if (!lesson) {
        for (const lessons::LessonLoad* broken : m_ctx.catalog.broken()) {
            if (broken->idHint == sid && !broken->errors.empty()) {
                showMessage(tr("Lesson \"%1\" could not be loaded: %2")
                                .arg(id, qs(broken->errors.front().format())),
                            12000);
                return false;
            }
        }
        showMessage(tr("There is no lesson \"%1\".").arg(id));
        return false;
    }
    const lessons::Lab* lab = m_ctx.labs.find(lesson->labId);
    if (!lab) {
        showMessage(tr("Lesson \"%1\" needs the lab \"%2\", which this version does not have.")
                        .arg(id, qs(lesson->labId)),
                    12000);
        return false;
    }

    // 2. Run it; a Lab that refuses the lesson's parameters leaves the current lesson open.
    std::unique_ptr<lessons::LessonPlayer> player;
    try {
        player = std::make_unique<lessons::LessonPlayer>(*lesson, *lab);
    } catch (const std::exception& e) {
        showMessage(tr("Lesson \"%1\" could not be started: %2").arg(id, qs(e.what())), 12000);
        return false;
    }
    m_stepBar->setPlaying(false);
    m_player = std::move(player);
    m_frame = 0;

    // 3. Its drawings, narrative and picture.
    const QString note = m_annotations.load(id);
    if (!note.isEmpty()) {
        showMessage(note, 15000);
        auto* box =
            new QMessageBox(QMessageBox::Warning, tr("Drawings"), note, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    m_navigator->selectLesson(id);
    m_narrative->setLesson(&m_player->lesson(), m_lang);
    m_stepBar->setFrameCount(m_player->frameCount());
    showFrame(false);
    m_viewport->fitToView();
    updateWindowTitle();
    settings().setValue(QStringLiteral("session/lesson"), id);
    return true;
}

void MainWindow::restoreSession() {
    QSettings s = settings();
    const QString id = s.value(QStringLiteral("session/lesson")).toString();
    const int frame = s.value(QStringLiteral("session/frame"), 0).toInt();
    if (!id.isEmpty() && m_ctx.catalog.find(id.toStdString()) && openLesson(id)) {
        goToFrame(frame);
        return;
    }
    for (const lessons::Lesson* lesson : m_ctx.catalog.lessons())
        if (openLesson(qs(lesson->id)))
            return;
    showMessage(tr("No lesson could be opened. Lesson folders: %1")
                    .arg(QDir::toNativeSeparators(m_ctx.paths.lessonFolders().join(u'\n'))),
                0);
}

void MainWindow::goToFrame(int frame) {
    if (!m_player)
        return;
    frame = std::clamp(frame, 0, m_player->frameCount() - 1);
    const bool moved = frame != m_frame;
    m_frame = frame;
    showFrame(moved);
}

void MainWindow::step(int delta) {
    if (m_player)
        goToFrame(m_frame + delta);
}

void MainWindow::onSpaceKey() {
    if (m_presenting)
        step(+1); // a clicker's "next" and the space bar both advance during a talk
    else
        m_stepBar->togglePlay();
}

/// Hands frame m_frame to every view: viewport (scene, parameters, drawings), step bar,
/// narrative, presentation strip and status bar; then tells listeners.
void MainWindow::showFrame(bool animate) {
    if (!m_player) {
        m_viewport->setScene(viz::Scene{}, false);
        m_viewport->setParamPanel({}, {});
        m_stepBar->setFrameCount(1);
        m_stepBar->setFrame(0);
        m_narrative->setLesson(nullptr, m_lang);
        updateStatus();
        return;
    }
    viz::Scene scene;
    try {
        scene = m_player->scene(m_frame, lessons::DrawOptions{m_lang, m_theme});
    } catch (const std::exception& e) {
        showMessage(tr("Step %1 could not be drawn: %2").arg(m_frame + 1).arg(qs(e.what())), 12000);
    }
    m_viewport->setScene(std::move(scene), animate && m_animations);
    m_viewport->setParamPanel(m_player->lab().params(), m_player->paramsAt(m_frame));
    m_applyingStrokes = true;
    m_viewport->setStrokes(m_annotations.strokes(m_frame));
    m_applyingStrokes = false;

    const int count = m_player->frameCount();
    m_stepBar->setFrameCount(count);
    m_stepBar->setFrame(m_frame);
    const int lessonStep = m_player->stepOf(m_frame);
    m_narrative->setCurrentStep(lessonStep);

    const std::vector<lessons::LessonStep>& steps = m_player->lesson().steps;
    if (lessonStep >= 0 && lessonStep < static_cast<int>(steps.size())) {
        const lessons::LessonStep& st = steps[static_cast<std::size_t>(lessonStep)];
        m_strip->setStep(qs(st.title.get(m_lang)), qs(st.text.get(m_lang)));
    } else {
        m_strip->setStep(QString(), QString());
    }
    m_strip->setProgress(m_frame, count);
    if (m_presenting)
        m_viewport->setProgress(count > 1 ? static_cast<float>(m_frame) / (count - 1) : 1.0f);

    updateStatus();
    settings().setValue(QStringLiteral("session/frame"), m_frame);
    emit frameShown(m_frame);
}

void MainWindow::updateStatus() {
    if (!m_player) {
        m_lessonLabel->setText(tr("No lesson"));
        m_stepLabel->clear();
        m_hoverLabel->clear();
        return;
    }
    m_lessonLabel->setText(lessonId());
    m_lessonLabel->setToolTip(qs(m_player->lesson().title.get(m_lang)));
    m_stepLabel->setText(tr("Step %1 of %2").arg(m_frame + 1).arg(m_player->frameCount()));
}

void MainWindow::updateWindowTitle() {
    if (m_player)
        setWindowTitle(tr("%1 — AISys Lab").arg(qs(m_player->lesson().title.get(m_lang))));
    else
        setWindowTitle(tr("AISys Lab"));
}

void MainWindow::showMessage(const QString& text, int ms) {
    statusBar()->showMessage(text, ms);
}

void MainWindow::onHoveredChanged(quint32 id) {
    const auto& objects = m_viewport->scene().objects;
    const auto it = objects.find(id);
    m_hoverLabel->setText(id != 0 && it != objects.end() ? qs(it->second.title) : QString());
}

// ---------------------------------------------------------------------------------------------
// "What if" parameters and drawings
// ---------------------------------------------------------------------------------------------

void MainWindow::onParamEdited(const std::string& name, const lessons::ParamValue& value) {
    if (!m_player)
        return;
    lessons::ParamValue v = value;
    const std::vector<lessons::ParamSpec> specs = m_player->lab().params();
    if (const lessons::ParamSpec* spec = lessons::findSpec(specs, name)) {
        const std::string why = lessons::checkValue(*spec, v);
        if (!why.empty()) {
            showMessage(tr("%1: %2").arg(qs(name), qs(why)), 8000);
            showFrame(false);
            return;
        }
        v = lessons::clampToSpec(*spec, lessons::coerce(*spec, v));
    }
    lessons::ParamSet overrides = m_player->overrides();
    overrides.set(name, v);
    applyOverrides(overrides);
}

void MainWindow::onParamsReset() {
    if (m_player)
        applyOverrides(lessons::ParamSet{});
}

/// Re-runs the lesson with new overrides and stays on the same lesson step (and the same frame
/// within it where the step still has that many frames).
void MainWindow::applyOverrides(const lessons::ParamSet& overrides) {
    const int step = m_player->stepOf(m_frame);
    const int offset = m_frame - m_player->firstFrameOf(step);
    std::string error;
    try {
        error = m_player->setOverrides(overrides);
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!error.empty()) {
        showMessage(tr("That value does not work here: %1").arg(qs(error)), 10000);
        showFrame(false); // the panel goes back to the values in force
        return;
    }
    const int steps = static_cast<int>(m_player->lesson().steps.size());
    const int first = m_player->firstFrameOf(step);
    const int end = step + 1 < steps ? m_player->firstFrameOf(step + 1) : m_player->frameCount();
    m_frame = std::clamp(first + offset, first, std::max(first, end - 1));
    m_frame = std::clamp(m_frame, 0, m_player->frameCount() - 1);
    showFrame(true);
}

void MainWindow::onStrokesChanged() {
    if (m_applyingStrokes || !m_player)
        return;
    const QString error = m_annotations.setStrokes(m_frame, m_viewport->strokes());
    if (!error.isEmpty())
        showMessage(error, 10000);
}

// ---------------------------------------------------------------------------------------------
// Language, theme and options
// ---------------------------------------------------------------------------------------------

void MainWindow::setLanguage(lessons::Lang lang) {
    m_lang = lang;
    if (QCoreApplication* app = QCoreApplication::instance())
        installTranslator(*app, lang);
    (lang == lessons::Lang::Zh ? m_chineseAct : m_englishAct)->setChecked(true);
    retranslateUi();
    m_viewport->setLanguage(lang);
    m_navigator->setCatalog(m_ctx.catalog, lang);
    m_navigator->selectLesson(lessonId());
    if (m_player) {
        m_narrative->setLesson(&m_player->lesson(), lang);
        showFrame(false);
    } else {
        m_narrative->setLesson(nullptr, lang);
    }
    settings().setValue(QStringLiteral("language"), QString::fromLatin1(lessons::langCode(lang)));
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    else if (event->type() == QEvent::ActivationChange && !isActiveWindow() && m_viewport)
        m_viewport->setLaser(false); // a held L whose release went to another window
    QMainWindow::changeEvent(event);
}

void MainWindow::setTheme(viz::Theme theme) {
    m_theme = theme;
    QApplication::setPalette(theme == viz::Theme::Dark ? darkPalette()
                                                       : QApplication::style()->standardPalette());
    (theme == viz::Theme::Dark ? m_darkAct : m_lightAct)->setChecked(true);
    settings().setValue(QStringLiteral("view/theme"), theme == viz::Theme::Dark
                                                          ? QStringLiteral("dark")
                                                          : QStringLiteral("light"));
    if (m_player)
        showFrame(false);
}

void MainWindow::setAnimationsEnabled(bool on) {
    m_animations = on;
    m_viewport->setAnimationEnabled(on);
    m_animationsAct->setChecked(on);
    settings().setValue(QStringLiteral("view/animations"), on);
}

void MainWindow::setPresentationScale(float scale) {
    // Snap to the nearest offered scale so the menu always shows a checked entry.
    float best = kPresentationScales[0];
    for (float s : kPresentationScales)
        if (std::abs(s - scale) < std::abs(best - scale))
            best = s;
    m_presentationScale = best;
    for (QAction* a : m_scaleGroup->actions())
        a->setChecked(a->data().toFloat() == best);
    m_strip->setScale(best);
    if (m_presenting)
        m_viewport->setUiScale(best);
    settings().setValue(QStringLiteral("presentation/scale"), best);
}

// ---------------------------------------------------------------------------------------------
// Presentation mode
// ---------------------------------------------------------------------------------------------

void MainWindow::setPresentation(bool on) {
    if (on == m_presenting) {
        m_presentAct->setChecked(on);
        return;
    }
    if (on) {
        // 1. Remember the window as it is, then hide everything but the picture.
        m_savedGeometry = saveGeometry();
        m_savedState = saveState();
        m_savedWindowState = windowState();
        m_savedNavigatorVisible = !m_navigatorDock->isHidden();
        m_savedNarrativeVisible = !m_narrativeDock->isHidden();
        m_presenting = true;
        menuBar()->hide();
        statusBar()->hide();
        m_stepBar->hide();
        m_navigatorDock->hide();
        m_narrativeDock->hide();
        // 2. Big type and overlays, progress bar, the presentation keys.
        m_viewport->setUiScale(m_presentationScale);
        m_strip->setScale(m_presentationScale);
        m_strip->setVisible(m_stripWanted && m_player);
        if (const QScreen* scr = screen())
            m_strip->setMaximumHeight(scr->geometry().height() * 3 / 10);
        for (QAction* a :
             {m_leaveAct, m_blankAct, m_penAct, m_clearKeyAct, m_stripAct, m_overlaysAct})
            a->setEnabled(true);
        qApp->installEventFilter(this); // holding L = laser
        showFullScreen();
        m_viewport->setFocus(Qt::OtherFocusReason);
    } else {
        // 3. Tools off, then the window exactly as it was.
        m_presenting = false;
        qApp->removeEventFilter(this);
        for (QAction* a : {m_blankAct, m_penAct})
            a->setChecked(false);
        for (QAction* a :
             {m_leaveAct, m_blankAct, m_penAct, m_clearKeyAct, m_stripAct, m_overlaysAct})
            a->setEnabled(false);
        m_viewport->setBlanked(false);
        m_viewport->setLaser(false);
        m_viewport->setPenMode(false);
        m_viewport->setProgress(-1);
        m_viewport->setUiScale(1.0f);
        m_overlaysShown = true;
        m_viewport->setOverlaysVisible(true);
        m_strip->hide();
        menuBar()->show();
        statusBar()->show();
        setWindowState(m_savedWindowState & ~Qt::WindowFullScreen);
        restoreGeometry(m_savedGeometry);
        if (!restoreState(m_savedState)) {
            m_stepBar->show();
            m_navigatorDock->setVisible(m_savedNavigatorVisible);
            m_narrativeDock->setVisible(m_savedNarrativeVisible);
        }
        show();
    }
    m_presentAct->setChecked(on);
    showFrame(false);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    // While presenting, L held down shows the laser pointer (auto-repeat ignored).
    if (m_presenting &&
        (event->type() == QEvent::KeyPress || event->type() == QEvent::KeyRelease)) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_L &&
            !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
            if (!key->isAutoRepeat())
                m_viewport->setLaser(event->type() == QEvent::KeyPress);
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

// ---------------------------------------------------------------------------------------------
// File menu
// ---------------------------------------------------------------------------------------------

void MainWindow::addLessonLoad(const lessons::LessonLoad& load) {
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

void MainWindow::openLessonFile() {
    QSettings s = settings();
    const QString dir =
        s.value(QStringLiteral("files/lessonDir"), m_ctx.paths.userLessonsDir).toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Lesson File"), dir,
                                                      tr("Lesson files (*.toml);;All files (*)"));
    if (path.isEmpty())
        return;
    s.setValue(QStringLiteral("files/lessonDir"), QFileInfo(path).absolutePath());

    const lessons::LessonLoad load = lessons::loadLessonFile(path.toStdString(), m_ctx.labs);
    if (!load.ok()) {
        QStringList lines;
        for (const lessons::LessonError& e : load.errors)
            lines << qs(e.format());
        QMessageBox box(QMessageBox::Warning, tr("Open Lesson File"),
                        tr("The lesson file %1 has errors and was not opened.")
                            .arg(QDir::toNativeSeparators(path)),
                        QMessageBox::Ok, this);
        const QStringList first = lines.mid(0, 12);
        box.setInformativeText(first.join(u'\n') +
                               (lines.size() > first.size() ? QStringLiteral("\n…") : QString()));
        box.setDetailedText(lines.join(u'\n'));
        box.exec();
        return;
    }
    if (!m_extraFiles.contains(path))
        m_extraFiles << path;
    addLessonLoad(load);
    m_navigator->setCatalog(m_ctx.catalog, m_lang);
    const QString id = qs(load.lesson->id);
    if (openLesson(id))
        showMessage(tr("Opened %1.").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::reloadLessons() {
    const QString id = lessonId();
    const int frame = m_frame;
    const lessons::ParamSet overrides = m_player ? m_player->overrides() : lessons::ParamSet{};
    m_ctx.reloadLessons();
    for (const QString& file : std::as_const(m_extraFiles))
        addLessonLoad(lessons::loadLessonFile(file.toStdString(), m_ctx.labs));
    m_navigator->setCatalog(m_ctx.catalog, m_lang);

    const int loaded = static_cast<int>(m_ctx.catalog.lessons().size());
    const int broken = static_cast<int>(m_ctx.catalog.broken().size());
    QString message = tr("Reloaded %n lesson(s).", nullptr, loaded);
    if (broken > 0)
        message = tr("Reloaded %n lesson(s); %1 file(s) have errors (see the navigator).", nullptr,
                     loaded)
                      .arg(broken);
    if (!id.isEmpty()) {
        if (openLesson(id)) {
            if (!overrides.values().empty())
                applyOverrides(overrides);
            goToFrame(frame);
        } else {
            return; // openLesson explained why; the old lesson stays on screen
        }
    }
    showMessage(message);
}

QString MainWindow::exportCurrentFrame(const QString& path, float pngScale) {
    if (!m_player)
        return tr("Open a lesson first.");
    const QString ext = QFileInfo(path).suffix().toLower();
    viz::ExportFormat format{};
    if (!viz::parseExportFormat(ext.toStdString(), format))
        return tr("Cannot export to \"%1\": the file name must end in .svg, .pdf or .png.")
            .arg(QFileInfo(path).fileName());
    viz::ExportOptions opt;
    opt.format = format;
    opt.scale = pngScale;
    opt.title = m_player->lesson().title.get(m_lang) + " — " + std::to_string(m_frame + 1) + "/" +
                std::to_string(frameCount());
    try {
        const viz::Scene scene =
            m_player->scene(m_frame, lessons::DrawOptions{m_lang, viz::Theme::Light});
        return qs(viz::exportScene(scene, path.toStdString(), opt));
    } catch (const std::exception& e) {
        return qs(e.what());
    }
}

void MainWindow::exportCurrentView() {
    if (!m_player) {
        showMessage(tr("Open a lesson first."));
        return;
    }
    // 1. A save dialog with the three formats and, for PNG, a pixel scale.
    QSettings s = settings();
    const QString dir = exportFolder(s);
    const QString svg = tr("SVG image (*.svg)");
    const QString pdf = tr("PDF document (*.pdf)");
    const QString png = tr("PNG image (*.png)");
    const QStringList exts{QStringLiteral("svg"), QStringLiteral("pdf"), QStringLiteral("png")};
    const QStringList filters{svg, pdf, png};
    QString ext = s.value(QStringLiteral("export/format"), QStringLiteral("svg")).toString();
    if (!exts.contains(ext))
        ext = exts.front();

    QFileDialog dialog(this, tr("Export Current View"));
    dialog.setOption(QFileDialog::DontUseNativeDialog); // the PNG scale row needs our own dialog
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setNameFilters(filters);
    dialog.selectNameFilter(filters[exts.indexOf(ext)]);
    dialog.setDefaultSuffix(ext);
    dialog.setDirectory(dir);
    dialog.selectFile(stepFileName(lessonId(), m_frame, frameCount(), ext));

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
    connect(&dialog, &QFileDialog::filterSelected, &dialog, onFilter);
    onFilter(dialog.selectedNameFilter());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;

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

    const QString error = exportCurrentFrame(path, static_cast<float>(scale));
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export Current View"), error);
    else
        showMessage(tr("Exported %1.").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::exportAllSteps() {
    if (!m_player) {
        showMessage(tr("Open a lesson first."));
        return;
    }
    // 1. Format (PNG at a chosen scale) and folder.
    QSettings s = settings();
    const QStringList items{tr("SVG (vector)"), tr("PDF (vector)"), tr("PNG, 1×"), tr("PNG, 2×"),
                            tr("PNG, 4×")};
    const QStringList exts{QStringLiteral("svg"), QStringLiteral("pdf"), QStringLiteral("png"),
                           QStringLiteral("png"), QStringLiteral("png")};
    const float scales[] = {1, 1, 1, 2, 4};
    bool ok = false;
    const QString item = QInputDialog::getItem(
        this, tr("Export All Steps"), tr("Export every step of this lesson as:"), items,
        std::clamp(s.value(QStringLiteral("export/allFormat"), 0).toInt(), 0, 4), false, &ok);
    if (!ok)
        return;
    const int choice = std::max(0, static_cast<int>(items.indexOf(item)));
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Export All Steps to Folder"), exportFolder(s));
    if (dir.isEmpty())
        return;
    s.setValue(QStringLiteral("export/allFormat"), choice);
    s.setValue(QStringLiteral("export/dir"), dir);

    // 2. Never replace files without asking.
    const int count = frameCount();
    QStringList paths;
    int existing = 0;
    for (int f = 0; f < count; ++f) {
        paths << QDir(dir).filePath(stepFileName(lessonId(), f, count, exts[choice]));
        existing += QFileInfo::exists(paths.back()) ? 1 : 0;
    }
    if (existing > 0 &&
        QMessageBox::question(
            this, tr("Export All Steps"),
            tr("%n file(s) with these names already exist in %1. Replace them?", nullptr, existing)
                .arg(QDir::toNativeSeparators(dir))) != QMessageBox::Yes)
        return;

    // 3. One file per frame, light theme, with a progress dialog that can cancel.
    QProgressDialog progress(tr("Exporting steps…"), tr("Cancel"), 0, count, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(400);
    viz::ExportOptions opt;
    viz::parseExportFormat(exts[choice].toStdString(), opt.format);
    opt.scale = scales[choice];
    int done = 0;
    for (int f = 0; f < count && !progress.wasCanceled(); ++f) {
        progress.setValue(f);
        std::string error;
        opt.title = m_player->lesson().title.get(m_lang) + " — " + std::to_string(f + 1) + "/" +
                    std::to_string(count);
        try {
            const viz::Scene scene =
                m_player->scene(f, lessons::DrawOptions{m_lang, viz::Theme::Light});
            error = viz::exportScene(scene, paths[f].toStdString(), opt);
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (!error.empty()) {
            progress.cancel();
            QMessageBox::warning(this, tr("Export All Steps"),
                                 tr("Step %1 could not be exported: %2").arg(f + 1).arg(qs(error)));
            break;
        }
        ++done;
    }
    progress.setValue(count);
    showMessage(tr("Exported %n step(s) to %1.", nullptr, done).arg(QDir::toNativeSeparators(dir)),
                10000);
}

// ---------------------------------------------------------------------------------------------
// Help menu
// ---------------------------------------------------------------------------------------------

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About AISys Lab"),
        tr("<h3>AISys Lab %1</h3><p>An interactive lab for the course “AI Systems”: AI chips, "
           "AI compilers, inference engines, framework internals and large-model "
           "training.</p><p>Step through live pictures computed by real engine code, present "
           "them in a lecture, and export them for slides and handouts.</p>")
            .arg(QStringLiteral(AISYS_VERSION)));
}

void MainWindow::showShortcuts() {
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

    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard Shortcuts"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* label = new QLabel(html, &dialog);
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    layout->addWidget(label);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.exec();
}

} // namespace aisys::app
