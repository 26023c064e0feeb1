// The lesson navigator: builds the course tree from the catalog and filters it as the user types.
#include "app/navigator.h"

#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStandardItemModel>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace aisys::app {

namespace {

enum Role {
    KindRole = Qt::UserRole + 1, ///< Kind below
    IdRole,                      ///< lesson id
    SearchRole,                  ///< lower-case text the filter matches against
};

enum Kind { GroupItem, LessonItem, BrokenItem, ErrorItem };

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// Both languages and the id, lower-cased, for the filter.
QString searchText(const lessons::LocalText& t, const std::string& id) {
    return (qs(t.en) + u'\n' + qs(t.zh) + u'\n' + qs(id)).toLower();
}

QStandardItem* makeItem(const QString& text, Kind kind) {
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    item->setData(kind, KindRole);
    return item;
}

} // namespace

Navigator::Navigator(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(fontMetrics().height() / 4);

    m_filter = new QLineEdit(this);
    m_filter->setClearButtonEnabled(true);
    m_filter->installEventFilter(this);
    layout->addWidget(m_filter);

    m_model = new QStandardItemModel(this);
    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setHeaderHidden(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->setAnimated(false);
    m_tree->setUniformRowHeights(false);
    m_tree->header()->setStretchLastSection(true);
    layout->addWidget(m_tree, 1);

    // A click opens a lesson; Enter on the keyboard too (activated() also fires on double
    // click, which then finds the lesson already open and does nothing).
    connect(m_tree, &QTreeView::clicked, this, &Navigator::activate);
    connect(m_tree, &QTreeView::activated, this, &Navigator::activate);
    connect(m_filter, &QLineEdit::textChanged, this, &Navigator::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        const QModelIndex first = firstVisibleLesson({});
        if (first.isValid())
            activate(first);
    });
    retranslateUi();
}

void Navigator::setCatalog(const lessons::LessonCatalog& catalog, lessons::Lang lang) {
    m_catalog = catalog;
    m_lang = lang;
    rebuild();
}

void Navigator::rebuild() {
    // 1. Group the loaded lessons (already in course order) by part, then chapter.
    m_model->clear();
    m_brokenGroup = nullptr;
    m_brokenCount = 0;
    QStandardItem* root = m_model->invisibleRootItem();
    std::map<QString, QStandardItem*> parts, chapters;
    QFont groupFont = font();
    groupFont.setBold(true);

    for (const lessons::Lesson* lesson : m_catalog.lessons()) {
        // Groups are keyed by the course's ids, never by (translated) titles.
        const QString partName = qs(lesson->part.get(m_lang));
        const QString partKey = qs(lesson->partId);
        QStandardItem*& part = parts[partKey];
        if (!part) {
            part = makeItem(partName.isEmpty() ? tr("Other lessons") : partName, GroupItem);
            part->setFont(groupFont);
            part->setSelectable(false);
            part->setData(searchText(lesson->part, {}), SearchRole);
            root->appendRow(part);
        }
        QStandardItem* parent = part;
        if (!lesson->chapterId.empty()) {
            const QString chapterKey = partKey + u'/' + qs(lesson->chapterId);
            QStandardItem*& chapter = chapters[chapterKey];
            if (!chapter) {
                chapter = makeItem(qs(lesson->chapter.get(m_lang)), GroupItem);
                chapter->setSelectable(false);
                chapter->setData(searchText(lesson->chapter, {}), SearchRole);
                part->appendRow(chapter);
            }
            parent = chapter;
        }

        // 2. The lesson row: title in the current language; id and the other title on hover.
        const QString id = qs(lesson->id);
        QString title = qs(lesson->title.get(m_lang));
        if (title.isEmpty())
            title = id;
        QStandardItem* item = makeItem(title, LessonItem);
        item->setData(id, IdRole);
        item->setData(searchText(lesson->title, lesson->id), SearchRole);
        const lessons::Lang other =
            m_lang == lessons::Lang::Zh ? lessons::Lang::En : lessons::Lang::Zh;
        QString tip = QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped());
        const QString otherTitle = qs(lesson->title.get(other));
        if (otherTitle != title)
            tip += QStringLiteral("<br>%1").arg(otherTitle.toHtmlEscaped());
        tip += QStringLiteral("<br><i>%1</i>").arg(id.toHtmlEscaped());
        if (lesson->user)
            tip += QStringLiteral("<br>") + tr("From your lesson folder").toHtmlEscaped();
        item->setToolTip(tip);
        parent->appendRow(item);
    }

    // 3. Files that failed to load: greyed out, each error on its own line underneath.
    const std::vector<const lessons::LessonLoad*> broken = m_catalog.broken();
    if (!broken.empty()) {
        m_brokenCount = static_cast<int>(broken.size());
        m_brokenGroup = makeItem(QString(), GroupItem);
        m_brokenGroup->setFont(groupFont);
        m_brokenGroup->setSelectable(false);
        m_brokenGroup->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
        root->appendRow(m_brokenGroup);
        for (const lessons::LessonLoad* load : broken) {
            QString name = qs(load->titleHint.get(m_lang));
            if (name.isEmpty())
                name = qs(load->idHint);
            if (name.isEmpty())
                name = QFileInfo(qs(load->file)).fileName();
            QStandardItem* item = makeItem(name, BrokenItem);
            item->setEnabled(false);
            item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
            item->setData(qs(load->idHint), IdRole);
            item->setData((name + u'\n' + qs(load->idHint) + u'\n' + qs(load->file)).toLower(),
                          SearchRole);
            QStringList lines;
            for (const lessons::LessonError& e : load->errors) {
                // The row names the file without its folder (the dock is narrow); the tool
                // tip and the parent's tool tip carry the full path.
                lessons::LessonError shortError = e;
                shortError.file = QFileInfo(qs(e.file)).fileName().toStdString();
                const QString line = qs(e.format());
                lines << line;
                QStandardItem* err = makeItem(qs(shortError.format()), ErrorItem);
                err->setFlags(Qt::ItemIsEnabled);
                err->setToolTip(line);
                item->appendRow(err);
            }
            item->setToolTip(tr("This lesson file could not be loaded:\n%1\n%2")
                                 .arg(QDir::toNativeSeparators(qs(load->file)), lines.join(u'\n')));
            m_brokenGroup->appendRow(item);
        }
    }
    retranslateUi();
    m_tree->expandAll();
    applyFilter();
    if (!m_current.isEmpty())
        selectLesson(m_current);
}

void Navigator::retranslateUi() {
    m_filter->setPlaceholderText(tr("Filter lessons (Ctrl+F)"));
    m_filter->setToolTip(tr("Type part of a title (English or Chinese) or a lesson id"));
    if (m_brokenGroup) {
        m_brokenGroup->setText(tr("Could not be loaded (%n)", nullptr, m_brokenCount));
        m_brokenGroup->setToolTip(
            tr("These lesson files have errors. Fix them and choose File ▸ Reload Lessons."));
    }
}

void Navigator::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool Navigator::eventFilter(QObject* watched, QEvent* event) {
    // In the filter box, Down moves into the tree and Escape clears the filter.
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Down) {
            const QModelIndex first = firstVisibleLesson({});
            m_tree->setFocus();
            if (first.isValid())
                m_tree->setCurrentIndex(first);
            return true;
        }
        if (key->key() == Qt::Key_Escape && !m_filter->text().isEmpty()) {
            m_filter->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void Navigator::setFilterText(const QString& text) {
    m_filter->setText(text);
}

QString Navigator::filterText() const {
    return m_filter->text();
}

void Navigator::focusFilter() {
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void Navigator::applyFilter() {
    const QStringList needles = m_filter->text().toLower().split(
        QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    filterRows({}, needles, false);
    if (!needles.isEmpty())
        m_tree->expandAll();
}

/// Hides rows that do not match. A row stays when it matches every word itself, when a parent
/// matched (a matching chapter shows all its lessons), or when one of its children stays.
bool Navigator::filterRows(const QModelIndex& parent, const QStringList& needles,
                           bool parentMatched) {
    bool anyVisible = false;
    for (int row = 0; row < m_model->rowCount(parent); ++row) {
        const QModelIndex index = m_model->index(row, 0, parent);
        const int kind = index.data(KindRole).toInt();
        bool match = parentMatched || needles.isEmpty();
        if (!match && kind != ErrorItem) {
            const QString hay = index.data(SearchRole).toString();
            match = std::all_of(needles.begin(), needles.end(),
                                [&](const QString& n) { return hay.contains(n); });
        }
        const bool childVisible = filterRows(index, needles, match);
        const bool visible = match || childVisible;
        m_tree->setRowHidden(row, parent, !visible);
        anyVisible = anyVisible || visible;
    }
    return anyVisible;
}

void Navigator::activate(const QModelIndex& index) {
    if (!index.isValid() || index.data(KindRole).toInt() != LessonItem)
        return;
    const QString id = index.data(IdRole).toString();
    if (id == m_current)
        return;
    m_current = id;
    emit lessonActivated(id);
}

void Navigator::selectLesson(const QString& id) {
    m_current = id;
    const QModelIndex index = findLesson({}, id);
    if (!index.isValid()) {
        m_tree->clearSelection();
        return;
    }
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
}

QModelIndex Navigator::findLesson(const QModelIndex& parent, const QString& id) const {
    for (int row = 0; row < m_model->rowCount(parent); ++row) {
        const QModelIndex index = m_model->index(row, 0, parent);
        if (index.data(KindRole).toInt() == LessonItem && index.data(IdRole).toString() == id)
            return index;
        const QModelIndex inner = findLesson(index, id);
        if (inner.isValid())
            return inner;
    }
    return {};
}

QModelIndex Navigator::firstVisibleLesson(const QModelIndex& parent) const {
    for (int row = 0; row < m_model->rowCount(parent); ++row) {
        if (m_tree->isRowHidden(row, parent))
            continue;
        const QModelIndex index = m_model->index(row, 0, parent);
        if (index.data(KindRole).toInt() == LessonItem)
            return index;
        const QModelIndex inner = firstVisibleLesson(index);
        if (inner.isValid())
            return inner;
    }
    return {};
}

int Navigator::visibleLessonCount() const {
    return countVisibleLessons({});
}

int Navigator::countVisibleLessons(const QModelIndex& parent) const {
    int n = 0;
    for (int row = 0; row < m_model->rowCount(parent); ++row) {
        if (m_tree->isRowHidden(row, parent))
            continue;
        const QModelIndex index = m_model->index(row, 0, parent);
        n += index.data(KindRole).toInt() == LessonItem ? 1 : countVisibleLessons(index);
    }
    return n;
}

} // namespace aisys::app
