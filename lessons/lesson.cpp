// Lesson error formatting.
#include "lessons/lesson.h"

namespace aisys::lessons {

std::string LessonError::format() const {
    std::string s = file.empty() ? "<lesson>" : file;
    if (line > 0) {
        s += ":" + std::to_string(line);
        if (column > 0)
            s += ":" + std::to_string(column);
    }
    return s + ": " + message;
}

} // namespace aisys::lessons
