// 2-D camera: zoom around a view point (clamped) and fitting a scene rectangle into the view.
#include "viz/camera.h"

#include <algorithm>

namespace aisys::viz {

void Camera::zoomAt(Vec2 viewPos, Vec2 viewSize, float factor) {
    if (!(factor > 0.0f))
        return;
    // 1. Remember which scene point is under the cursor.
    const Vec2 anchor = toScene(viewPos, viewSize);
    // 2. Change the zoom within the allowed range.
    zoom = std::clamp(zoom * factor, kMinZoom, kMaxZoom);
    // 3. Move the centre so that the same scene point is under the cursor again.
    center = {anchor.x - (viewPos.x - viewSize.x / 2) / zoom,
              anchor.y - (viewPos.y - viewSize.y / 2) / zoom};
}

void Camera::fit(const Rect& r, Vec2 viewSize, float margin) {
    if (viewSize.x <= 0 || viewSize.y <= 0)
        return;
    const float w = std::max(r.w, 1.0f);
    const float h = std::max(r.h, 1.0f);
    const float availW = std::max(viewSize.x - 2 * margin, viewSize.x * 0.25f);
    const float availH = std::max(viewSize.y - 2 * margin, viewSize.y * 0.25f);
    zoom = std::clamp(std::min(availW / w, availH / h), kMinZoom, kMaxZoom);
    center = {r.x + r.w / 2, r.y + r.h / 2};
}

} // namespace aisys::viz
