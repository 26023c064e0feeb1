// The main window: builds the shell and keeps every view on the frame shown.
#include "app/main_window.h"

#include "app/export_dialogs.h"
#include "app/help_dialogs.h"
#include "app/narrative_pane.h"
#include "app/navigator.h"
#include "app/presentation_controller.h"
#include "app/presentation_strip.h"
#include "app/status_line.h"
#include "app/step_bar.h"
#include "app/theme.h"
#include "app/viewport_widget.h"
#include "app/what_if.h"
#include "app/window_actions.h"
#include "lessons/footnotes.h"
#include "viz/export/painter_renderer.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <initializer_list>

namespace aisys::app {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Building the window
// ---------------------------------------------------------------------------------------------

MainWindow::MainWindow(AppContext& ctx, QWidget* parent)
    : QMainWindow(parent), m_ctx(ctx), m_annotations(ctx.paths.dataDir), m_library(ctx) {
    setObjectName(QStringLiteral("mainWindow"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    createWidgets();
    connectActions();
    loadSettings();
    retranslateUi();
    showFrame(false);
}

void MainWindow::validateLessonsInBackground() {
    // 1. Copy the loaded lessons (the catalog may be reloaded meanwhile).
    // 2. On a worker thread, dry-run each (Labs are stateless; the registry is read only),
    //    stopping early when the window goes away.
    // 3. Back on the GUI thread, mark the refused ones broken if the catalog still holds the
    //    same entries, and refresh the navigator.
    if (m_validation)
        return;
    auto lessonsCopy = std::make_shared<std::vector<lessons::Lesson>>();
    for (const lessons::Lesson* l : m_ctx.catalog.lessons())
        lessonsCopy->push_back(*l);
    auto results =
        std::make_shared<std::vector<std::pair<std::string, std::vector<lessons::LessonError>>>>();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_validationCancel = cancel;
    const lessons::LabRegistry* labs = &m_ctx.labs;
    m_validation = QThread::create([lessonsCopy, results, cancel, labs] {
        for (const lessons::Lesson& l : *lessonsCopy) {
            if (*cancel)
                return;
            auto errors = lessons::dryRunLesson(l, *labs);
            if (!errors.empty())
                results->emplace_back(l.id, std::move(errors));
        }
    });
    connect(m_validation, &QThread::finished, this, [this, results, cancel] {
        m_validation->deleteLater();
        m_validation = nullptr;
        if (*cancel || results->empty())
            return;
        for (auto& [id, errors] : *results)
            for (auto& e : m_ctx.catalog.entries)
                if (e.lesson && e.lesson->id == id) {
                    e.idHint = id;
                    e.titleHint = e.lesson->title;
                    e.lesson.reset();
                    e.errors = errors;
                }
        m_navigator->setCatalog(m_ctx.catalog, m_lang);
        showMessage(tr("%n lesson(s) cannot run their parameters; see the navigator.", nullptr,
                       int(results->size())),
                    12000);
    });
    m_validation->setParent(this);
    m_validation->start(QThread::LowPriority);
}

void MainWindow::waitForLessonValidation() {
    if (m_validation)
        m_validation->wait();
    QCoreApplication::processEvents();
}

MainWindow::~MainWindow() {
    if (m_validation) { // stop the dry runs between lessons and wait for the current one
        *m_validationCancel = true;
        m_validation->wait();
    }
    // The views are deleted after this body and after the members; their last signals (a leave
    // event's hoveredChanged, say) must not reach the window any more.
    for (QObject* view :
         std::initializer_list<QObject*>{m_viewport, m_navigator, m_narrative, m_stepBar})
        view->disconnect(this);
}

void MainWindow::createWidgets() {
    // Centre: the viewport, with the presentation strip under it (hidden outside presentations).
    auto* central = new QWidget(this);
    auto* column = new QBoxLayout(QBoxLayout::TopToBottom, central);
    m_centre = column;
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

    m_status = std::make_unique<StatusLine>(statusBar());

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

void MainWindow::connectActions() {
    m_actions = std::make_unique<WindowActions>(this, m_narrativeDock, m_navigatorDock);
    m_presentation = std::make_unique<PresentationController>(
        PresentationParts{this, m_viewport, m_strip, m_stepBar, m_navigatorDock, m_narrativeDock},
        [this] { return m_player != nullptr; });
    connect(m_presentation.get(), &PresentationController::leaveRequested, this,
            [this] { setPresentation(false); });

    const WindowActions& a = *m_actions;
    auto on = [this](QAction* action, auto slot) {
        connect(action, &QAction::triggered, this, slot);
    };
    on(a.openFile, &MainWindow::openLessonFile);
    on(a.openModel, &MainWindow::openModelFile);
    on(a.optimizeModel, &MainWindow::optimizeModelFile);
    on(a.openTrace, &MainWindow::openTraceFile);
    on(a.reload, &MainWindow::reloadLessons);
    on(a.exportView, &MainWindow::exportCurrentView);
    on(a.exportAll, &MainWindow::exportAllSteps);
    on(a.exportSlides, &MainWindow::exportSlides);
    on(a.quit, &QWidget::close);

    on(a.present, [this] { setPresentation(!presentation()); });
    on(a.light, [this] { setTheme(viz::Theme::Light); });
    on(a.dark, [this] { setTheme(viz::Theme::Dark); });
    on(a.fit, [this] { m_viewport->fitToView(); });
    on(a.animations, [this] { setAnimationsEnabled(m_actions->animations->isChecked()); });
    // clearStrokes() emits strokesChanged(), which saves.
    on(a.clearDrawings, [this] { m_viewport->clearStrokes(); });
    for (QAction* scale : a.scales->actions())
        on(scale, [this, s = scale->data().toFloat()] { setPresentationScale(s); });

    on(a.english, [this] { setLanguage(lessons::Lang::En); });
    on(a.chinese, [this] { setLanguage(lessons::Lang::Zh); });
    on(a.about, [this] { HelpDialogs::showAbout(this); });
    on(a.shortcuts, [this] { HelpDialogs::showShortcuts(this); });

    on(a.next, [this] { step(+1); });
    on(a.prev, [this] { step(-1); });
    on(a.first, [this] { goToFrame(0); });
    on(a.last, [this] { goToFrame(frameCount() - 1); });
    on(a.space, &MainWindow::onSpaceKey);
    on(a.filter, [this] {
        if (presentation())
            return;
        m_navigatorDock->show();
        m_navigatorDock->raise();
        m_navigator->focusFilter();
    });
}

void MainWindow::retranslateUi() {
    m_actions->retranslate();
    m_presentation->retranslate();
    updateStatus();
    updateWindowTitle();
}

void MainWindow::loadSettings() {
    QSettings s = appSettings();
    setTheme(themeFromName(s.value(QStringLiteral("view/theme")).toString()));
    lessons::Lang lang = systemLanguage();
    const QString code = s.value(QStringLiteral("language")).toString();
    if (!code.isEmpty() && !lessons::parseLang(code.toStdString(), lang))
        lang = systemLanguage();
    setLanguage(lang);
    setAnimationsEnabled(s.value(QStringLiteral("view/animations"), true).toBool());
    setPresentationScale(s.value(QStringLiteral("presentation/scale"), 2.0).toFloat());
    m_presentation->setStripWanted(s.value(QStringLiteral("presentation/strip"), true).toBool());
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
    QSettings s = appSettings();
    // While presenting, keep the window as it was before.
    const bool presenting = presentation();
    const PresentationController::SavedLayout& saved = m_presentation->savedLayout();
    s.setValue(QStringLiteral("window/geometry"), presenting ? saved.geometry : saveGeometry());
    s.setValue(QStringLiteral("window/state"), presenting ? saved.state : saveState());
    s.setValue(QStringLiteral("view/navigator"),
               presenting ? saved.navigatorVisible : !m_navigatorDock->isHidden());
    s.setValue(QStringLiteral("view/narrative"),
               presenting ? saved.narrativeVisible : !m_narrativeDock->isHidden());
    s.setValue(QStringLiteral("view/theme"), themeName(m_theme));
    s.setValue(QStringLiteral("language"), QString::fromLatin1(lessons::langCode(m_lang)));
    s.setValue(QStringLiteral("view/animations"), m_animations);
    s.setValue(QStringLiteral("presentation/scale"), m_presentationScale);
    s.setValue(QStringLiteral("presentation/strip"), m_presentation->stripWanted());
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
    // 1. Run it; a lesson that cannot start leaves the current one open.
    LessonLibrary::Started started = m_library.start(id);
    if (!started.player) {
        showMessage(started.error, started.errorMs);
        return false;
    }
    m_stepBar->setPlaying(false);
    m_player = std::move(started.player);
    m_frame = 0;

    // 2. Its drawings, narrative and picture.
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
    appSettings().setValue(QStringLiteral("session/lesson"), id);
    return true;
}

void MainWindow::restoreSession() {
    QSettings s = appSettings();
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
    // Presenting, a narrative in parts shows its next (previous) part before the step changes.
    if (presentation() && m_strip->isVisible() &&
        (delta > 0 ? m_strip->nextPage() : delta < 0 && m_strip->previousPage()))
        return;
    if (m_player)
        goToFrame(m_frame + delta);
}

void MainWindow::onSpaceKey() {
    if (presentation())
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
        m_strip->setStep(qs(st.title.get(m_lang)),
                         qs(lessons::markdownWithFootnotes(st.text.get(m_lang),
                                                           m_player->lesson().sources, m_lang)));
    } else {
        m_strip->setStep(QString(), QString());
    }
    m_strip->setProgress(m_frame, count);
    // A lesson opened while presenting brings the strip (when the presenter wants it).
    if (presentation())
        m_strip->setVisible(m_presentation->stripWanted());
    if (presentation())
        m_viewport->setProgress(count > 1 ? static_cast<float>(m_frame) / (count - 1) : 1.0f);
    placeStrip();

    updateStatus();
    appSettings().setValue(QStringLiteral("session/frame"), m_frame);
    emit frameShown(m_frame);
}

void MainWindow::updateStatus() {
    m_status->showFrame(m_player.get(), m_frame, m_lang);
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
    m_status->setHovered(id != 0 && it != objects.end() ? qs(it->second.title) : QString());
}

// ---------------------------------------------------------------------------------------------
// "What if" parameters and drawings
// ---------------------------------------------------------------------------------------------

void MainWindow::onParamEdited(const std::string& name, const lessons::ParamValue& value) {
    if (!m_player)
        return;
    const ParamEdit edit = checkParamEdit(*m_player, name, value);
    if (!edit.error.empty()) {
        showMessage(tr("%1: %2").arg(qs(name), qs(edit.error)), 8000);
        showFrame(false);
        return;
    }
    lessons::ParamSet overrides = m_player->overrides();
    overrides.set(name, edit.value);
    applyOverrides(overrides);
}

void MainWindow::onParamsReset() {
    if (m_player)
        applyOverrides(lessons::ParamSet{});
}

/// Re-runs the lesson with new overrides and stays on the same lesson step.
void MainWindow::applyOverrides(const lessons::ParamSet& overrides) {
    const std::string error = rerunOnSameStep(*m_player, overrides, m_frame);
    if (!error.empty()) {
        showMessage(tr("That value does not work here: %1").arg(qs(error)), 10000);
        showFrame(false); // the panel goes back to the values in force
        return;
    }
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
    (lang == lessons::Lang::Zh ? m_actions->chinese : m_actions->english)->setChecked(true);
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
    appSettings().setValue(QStringLiteral("language"),
                           QString::fromLatin1(lessons::langCode(lang)));
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
    applyTheme(theme);
    (theme == viz::Theme::Dark ? m_actions->dark : m_actions->light)->setChecked(true);
    appSettings().setValue(QStringLiteral("view/theme"), themeName(theme));
    if (m_player)
        showFrame(false);
}

void MainWindow::setAnimationsEnabled(bool on) {
    m_animations = on;
    m_viewport->setAnimationEnabled(on);
    m_actions->animations->setChecked(on);
    appSettings().setValue(QStringLiteral("view/animations"), on);
}

void MainWindow::setPresentationScale(float scale) {
    // Snap to the nearest offered scale so the menu always shows a checked entry.
    const float best = nearestPresentationScale(scale);
    m_presentationScale = best;
    for (QAction* a : m_actions->scales->actions())
        a->setChecked(a->data().toFloat() == best);
    m_strip->setScale(best);
    if (presentation())
        m_viewport->setUiScale(best);
    appSettings().setValue(QStringLiteral("presentation/scale"), best);
}

// ---------------------------------------------------------------------------------------------
// Presentation mode
// ---------------------------------------------------------------------------------------------

bool MainWindow::presentation() const {
    return m_presentation->isActive();
}

void MainWindow::placeStrip() {
    // Presenting, the narrative goes where it leaves the picture larger: under it (most
    // pictures, wide ones) or in a column beside it (a tall picture — a graph flowing down — on
    // a wide screen), comparing the zoom the frame's region of interest would get in each.
    bool beside = false;
    if (presentation() && m_strip->isVisible()) {
        const viz::Scene& sc = m_viewport->scene();
        viz::Rect r = sc.focus.empty() ? viz::measuredBounds(sc.list) : sc.focus;
        const double w = width(), h = height();
        if (!r.empty() && w > 0 && h > 0) {
            const double rw = std::max(1.0f, r.w), rh = std::max(1.0f, r.h);
            const double top = 0.06 * h; // the caption line
            const double under = std::min(w / rw, (h * (1 - PresentationStrip::kMaxShare) - top) / rh);
            const double side = std::min(w * (1 - PresentationStrip::kSideShare) / rw, (h - top) / rh);
            // A clear gain only (≥ 25 %): the strip does not jump between steps for a little.
            beside = side > 1.25 * under;
        }
    }
    if (beside != m_strip->beside()) {
        m_centre->setDirection(beside ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
        if (beside)
            m_strip->setFixedWidth(int(PresentationStrip::kSideShare * width()));
        else {
            m_strip->setMinimumWidth(0);
            m_strip->setMaximumWidth(QWIDGETSIZE_MAX);
        }
        m_strip->setBeside(beside);
    } else if (beside && m_strip->width() != int(PresentationStrip::kSideShare * width())) {
        m_strip->setFixedWidth(int(PresentationStrip::kSideShare * width()));
    }
}

void MainWindow::setPresentation(bool on) {
    if (on == presentation()) {
        m_actions->present->setChecked(on);
        return;
    }
    if (on)
        m_presentation->enter(m_presentationScale);
    else
        m_presentation->leave();
    m_actions->present->setChecked(on);
    showFrame(false);
}

// ---------------------------------------------------------------------------------------------
// File menu
// ---------------------------------------------------------------------------------------------

void MainWindow::openLessonFile() {
    QSettings s = appSettings();
    const LessonLibrary::Opened opened = m_library.open(this, s);
    if (opened.lessonId.isEmpty())
        return;
    m_navigator->setCatalog(m_ctx.catalog, m_lang);
    if (openLesson(opened.lessonId))
        showMessage(tr("Opened %1.").arg(QDir::toNativeSeparators(opened.path)));
}

void MainWindow::openModelFile() {
    QSettings s = appSettings();
    const LessonLibrary::Opened opened = m_library.openModel(this, s);
    if (opened.lessonId.isEmpty())
        return;
    m_navigator->setCatalog(m_ctx.catalog, m_lang);
    if (openLesson(opened.lessonId))
        showMessage(tr("Opened %1.").arg(QDir::toNativeSeparators(opened.path)));
}

bool MainWindow::openTrace(const QString& path) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    if (!openLesson(QStringLiteral("mpi-replay")))
        return false;
    lessons::ParamSet overrides;
    overrides.set("trace", abs.toStdString());
    const std::string error = rerunOnSameStep(*m_player, overrides, m_frame);
    if (!error.empty()) {
        showMessage(tr("Cannot replay the trace: %1").arg(qs(error)), 15000);
        showFrame(false);
        return false;
    }
    showFrame(true);
    showMessage(tr("Replaying %1 beside its simulation.").arg(QDir::toNativeSeparators(abs)));
    return true;
}

void MainWindow::openTraceFile() {
    QSettings s = appSettings();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Trace"), s.value("lastTraceDir").toString(),
                                     tr("aisyslab-mpi traces (*.trace);;All files (*)"));
    if (path.isEmpty())
        return;
    s.setValue("lastTraceDir", QFileInfo(path).absolutePath());
    openTrace(path);
}

void MainWindow::optimizeModelFile() {
    QSettings s = appSettings();
    const LessonLibrary::Opened opened = m_library.optimizeModel(this, s);
    if (opened.lessonId.isEmpty())
        return;
    m_navigator->setCatalog(m_ctx.catalog, m_lang);
    if (openLesson(opened.lessonId))
        showMessage(tr("Optimizing %1 pass by pass.").arg(QDir::toNativeSeparators(opened.path)));
}

bool MainWindow::optimizeModel(const QString& path) {
    const LessonLibrary::Opened opened = m_library.addOptimizedModel(path);
    if (opened.lessonId.isEmpty()) {
        showMessage(opened.error, 12000);
        return false;
    }
    m_navigator->setCatalog(m_ctx.catalog, m_lang);
    return openLesson(opened.lessonId);
}

bool MainWindow::openModel(const QString& path) {
    const LessonLibrary::Opened opened = m_library.addModel(path);
    if (opened.lessonId.isEmpty()) {
        showMessage(opened.error, 12000);
        return false;
    }
    m_navigator->setCatalog(m_ctx.catalog, m_lang);
    return openLesson(opened.lessonId);
}

void MainWindow::reloadLessons() {
    const QString id = lessonId();
    const int frame = m_frame;
    const lessons::ParamSet overrides = m_player ? m_player->overrides() : lessons::ParamSet{};
    if (m_validation) { // a full reload checks everything itself
        *m_validationCancel = true;
        m_validation->wait();
    }
    const QString message = m_library.reload();
    m_navigator->setCatalog(m_ctx.catalog, m_lang);
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
    return ExportDialogs::exportFrame(*m_player, m_frame, m_lang, path, pngScale);
}

void MainWindow::exportCurrentView() {
    if (!m_player) {
        showMessage(tr("Open a lesson first."));
        return;
    }
    QSettings s = appSettings();
    const QString message = ExportDialogs::exportCurrentView(this, *m_player, m_frame, m_lang, s);
    if (!message.isEmpty())
        showMessage(message);
}

void MainWindow::exportAllSteps() {
    if (!m_player) {
        showMessage(tr("Open a lesson first."));
        return;
    }
    QSettings s = appSettings();
    const QString message = ExportDialogs::exportAllSteps(this, *m_player, m_lang, s);
    if (!message.isEmpty())
        showMessage(message, 10000);
}

void MainWindow::exportSlides() {
    if (!m_player) {
        showMessage(tr("Open a lesson first."));
        return;
    }
    QSettings s = appSettings();
    const QString message = ExportDialogs::exportSlides(this, *m_player, m_lang, s);
    if (!message.isEmpty())
        showMessage(message, 10000);
}

} // namespace aisys::app
