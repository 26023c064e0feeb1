// The lesson navigator: a filterable tree of course parts, chapters and lessons (broken ones
// greyed).
#pragma once

#include "lessons/lesson_loader.h"
#include "lessons/text.h"

#include <QWidget>

class QLineEdit;
class QModelIndex;
class QStandardItem;
class QStandardItemModel;
class QTreeView;

namespace aisys::app {

/// Lists the catalog as parts → chapters → lessons in course order. Lesson files that failed to
/// load are listed too, greyed out with a warning icon and their errors as child lines.
class Navigator : public QWidget {
    Q_OBJECT
public:
    explicit Navigator(QWidget* parent = nullptr);

    /// Rebuilds the tree from `catalog` with titles in `lang`; keeps the filter and selection.
    void setCatalog(const lessons::LessonCatalog& catalog, lessons::Lang lang);
    /// Selects (and scrolls to) lesson `id` without emitting lessonActivated().
    void selectLesson(const QString& id);
    /// Moves keyboard focus to the filter box and selects its text.
    void focusFilter();
    /// Sets the filter text (matches titles in both languages and ids).
    void setFilterText(const QString& text);
    QString filterText() const;
    /// Lesson rows currently shown (not filtered out).
    int visibleLessonCount() const;

    QTreeView* treeView() const { return m_tree; }
    QLineEdit* filterEdit() const { return m_filter; }

signals:
    /// The user chose lesson `id` (click, Enter, or Enter in the filter box).
    void lessonActivated(const QString& id);

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslateUi();
    void rebuild();
    void applyFilter();
    bool filterRows(const QModelIndex& parent, const QStringList& needles, bool parentMatched);
    void activate(const QModelIndex& index);
    QModelIndex findLesson(const QModelIndex& parent, const QString& id) const;
    QModelIndex firstVisibleLesson(const QModelIndex& parent) const;
    int countVisibleLessons(const QModelIndex& parent) const;

    QLineEdit* m_filter = nullptr;
    QTreeView* m_tree = nullptr;
    QStandardItemModel* m_model = nullptr;
    lessons::LessonCatalog m_catalog; ///< a copy, so a language change can rebuild the tree
    lessons::Lang m_lang = lessons::Lang::En;
    QString m_current;
    QStandardItem* m_brokenGroup = nullptr;
    int m_brokenCount = 0;
};

} // namespace aisys::app
